package dev.keel.cli;

import dev.keel.eval.judge.Calibration;
import dev.keel.eval.judge.GatewayJudge;
import dev.keel.simulator.Simulator;
import dev.keel.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keel eval calibrate}: how often a judge model agrees with human pairwise labels. Runs
 * through a running Keel (so the judge's calls are traced and priced), or with
 * {@code --offline} against an in-process simulator, and says when the judge is simulated.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
    description = "Measure a judge's agreement with human pairwise labels (RAGChecker's"
        + " human_labeled_data.json format); exit 2 on bad input.")
final class EvalCalibrateCommand implements Callable<Integer> {

  @Option(names = "--labels", required = true, description = "the labelled pairs (JSON)")
  Path labels;

  @Option(names = "--judge", required = true, description = "the judge model")
  String judge;

  @Option(names = "--label", defaultValue = "overall",
      description = "overall, correctness or completeness (default: ${DEFAULT-VALUE})")
  String label;

  @Option(names = "--limit", description = "judge only the first N instances")
  Integer limit;

  @Option(names = "--url", defaultValue = "http://127.0.0.1:4000",
      description = "the running Keel (default: ${DEFAULT-VALUE})")
  String url;

  @Option(names = "--key", defaultValue = "${env:KEEL_MASTER_KEY}",
      description = "a Keel key allowed to call the judge (default: $KEEL_MASTER_KEY)")
  String key;

  @Option(names = "--offline", description = "ask an in-process simulator instead of Keel")
  boolean offline;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    List<Calibration.Instance> instances;
    try {
      instances = Calibration.read(labels, label);
    } catch (IOException | IllegalArgumentException e) {
      err.println("keel eval calibrate: cannot read " + labels + ": " + e.getMessage());
      return 2;
    }
    if (limit != null && limit < 1) {
      err.println("keel eval calibrate: --limit must be positive: " + limit);
      return 2;
    }
    if (limit != null && limit < instances.size()) {
      instances = instances.subList(0, limit);
    }
    if (!offline && (key == null || key.isBlank())) {
      err.println("keel eval calibrate: no key; pass --key or set KEEL_MASTER_KEY"
          + " (or use --offline)");
      return 2;
    }
    Calibration.Result r;
    if (offline) {
      try (Simulator sim = Simulator.start(SimulatorConfig.anyPort())) {
        r = Calibration.run(new GatewayJudge(URI.create(sim.baseUrl()), "offline", judge),
            instances, label);
      }
    } else {
      r = Calibration.run(new GatewayJudge(URI.create(url), key, judge), instances, label);
    }
    print(r, instances);
    return 0;
  }

  private void print(Calibration.Result r, List<Calibration.Instance> instances) {
    PrintWriter out = spec.commandLine().getOut();
    int labelCount = instances.stream().mapToInt(i -> i.labels().size()).sum();
    boolean simulated = offline || r.judgeModel().endsWith("(simulated)");
    out.println("judge: " + r.judgeModel() + (simulated ? " - Keel's simulator (its judge"
        + " profile scores word overlap); these numbers measure no real model" : ""));
    out.println("labels: " + labels.getFileName() + ", " + r.label() + ", " + instances.size()
        + " instances, " + labelCount + " human labels");
    out.println("judged: " + r.judged() + ", undetermined: " + r.undetermined());
    out.println("accuracy on decisive human labels: " + fmt(r.accuracy()));
    out.println("sign agreement (model 1 / tie / model 2): " + fmt(r.agreement()));
    out.println("Cohen's kappa: " + fmt(r.kappa()));
    out.println("human-human sign agreement (ceiling): " + fmt(r.humanAgreement()));
    out.flush();
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
  }
}
