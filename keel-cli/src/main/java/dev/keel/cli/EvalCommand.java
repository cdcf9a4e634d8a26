package dev.keel.cli;

import dev.keel.eval.run.Comparison;
import dev.keel.eval.run.EvalFile;
import dev.keel.eval.run.Evaluation;
import dev.keel.eval.run.Reports;
import dev.keel.eval.run.RunResults;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code keel eval}: run an evaluation file through Keel and gate on it; compare two runs.
 * Exit codes: 0 passed, 1 a check failed (threshold, task errors, regression), 2 bad input.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Run evaluations through Keel and gate CI on them; compare runs.",
    subcommands = {EvalCommand.Run.class, EvalCommand.Compare.class,
        EvalCalibrateCommand.class})
final class EvalCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Run FILE's task over its dataset, score, print a table, write"
          + " results.jsonl, report.json and junit.xml; exit 1 when the gate fails.")
  static final class Run implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "the evaluation file (YAML)")
    Path file;

    @Option(names = "--url", defaultValue = "http://127.0.0.1:4000",
        description = "the running Keel (default: ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--key", defaultValue = "${env:KEEL_MASTER_KEY}",
        description = "the master key (default: $KEEL_MASTER_KEY)")
    String key;

    @Option(names = "--out", description = "folder for results and reports"
        + " (default: eval-results/<file name>)")
    Path out;

    @Option(names = "--resume", description = "keep finished items of the results file in"
        + " --out and run only the rest")
    boolean resume;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      EvalFile eval;
      try {
        eval = EvalFile.read(file);
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("keel eval: " + e.getMessage());
        return 2;
      }
      Path dir = out != null ? out : Path.of("eval-results", eval.name());
      Evaluation.Outcome o;
      try {
        o = Evaluation.run(eval, new Evaluation.Settings(URI.create(url), key, dir, resume,
            System.err, null));
      } catch (IllegalArgumentException e) {
        // Bad input (dataset file, scorer options, baseline, resume of another run): exit 2,
        // distinct from a gate that failed.
        spec.commandLine().getErr().println("keel eval: " + e.getMessage());
        return 2;
      }
      spec.commandLine().getOut().print(Reports.table(o.gate()));
      spec.commandLine().getOut().println("results: " + o.resultsFile() + "; reports: "
          + dir.resolve("report.json") + ", " + dir.resolve("junit.xml"));
      spec.commandLine().getOut().flush();
      return o.gate().passed() ? 0 : 1;
    }
  }

  @Command(name = "compare", mixinStandardHelpOptions = true,
      description = "Per-item score changes and aggregate deltas with bootstrap 95%"
          + " confidence intervals from run A (baseline) to run B; exit 1 on a regression.")
  static final class Compare implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "A", description = "the baseline's results file")
    Path a;

    @Parameters(index = "1", paramLabel = "B", description = "the candidate's results file")
    Path b;

    @Option(names = "--tolerance", defaultValue = "0",
        description = "a drop up to this is not a regression (default: ${DEFAULT-VALUE})")
    double tolerance;

    @Option(names = "--items", defaultValue = "20",
        description = "changed items to list (default: ${DEFAULT-VALUE})")
    int items;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Comparison c;
      try {
        c = Comparison.of(RunResults.read(resolve(a)), RunResults.read(resolve(b)), tolerance);
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("keel eval compare: " + e.getMessage());
        return 2;
      }
      spec.commandLine().getOut().print(Reports.comparison(c, items));
      spec.commandLine().getOut().flush();
      return c.regressed() ? 1 : 0;
    }

    /** A run's output folder names its results file. */
    private static Path resolve(Path p) {
      return java.nio.file.Files.isDirectory(p) ? p.resolve(Evaluation.RESULTS) : p;
    }
  }
}
