package dev.keel.eval.run;

import dev.keel.eval.EvalItem;
import dev.keel.eval.Judge;
import dev.keel.eval.Scorer;
import dev.keel.eval.dataset.DatasetClient;
import dev.keel.eval.dataset.DatasetFiles;
import dev.keel.eval.dataset.ItemHash;
import dev.keel.eval.judge.GatewayJudge;
import dev.keel.eval.score.Scorers;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code keel eval run} as a library call: loads the dataset, resolves the prompt version,
 * builds the scorers and judge, runs the task through Keel, compares with the baseline, and
 * writes the results file and reports into the output folder.
 */
public final class Evaluation {

  /** The results file's name in the output folder. */
  public static final String RESULTS = "results.jsonl";

  private static final DateTimeFormatter STAMP = DateTimeFormatter
      .ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private Evaluation() {}

  /** Runs an evaluation file. Throws IllegalArgumentException for a bad file or baseline. */
  public static Outcome run(EvalFile file, Settings s) {
    KeelHttp keel = new KeelHttp(s.keel(), s.key());
    // What can be checked here is checked before Keel is asked anything.
    List<EvalItem> fileItems = file.dataset().file() == null ? null
        : readFile(file.dataset().file());
    List<Scorer> scorers = file.scorers().stream()
        .map(spec -> Scorers.byName(spec.name(), spec.options())).toList();
    admitted(keel);
    Dataset data = dataset(file.dataset(), fileItems, s);
    Judge judge = file.judgeModel() == null ? null
        : new GatewayJudge(s.keel(), s.key(), file.judgeModel());
    Integer promptVersion = promptVersion(keel, file.task());
    Path results = s.outDir().resolve(RESULTS);
    // A resumed run keeps its name, so its traces all carry one tag.
    String runName = s.resume() && Files.exists(results) ? RunResults.read(results).info().run()
        : file.name() + "-" + STAMP.format(Instant.now());
    Map<String, String> versions = new LinkedHashMap<>();
    scorers.forEach(sc -> versions.put(sc.name(), sc.version()));
    RunInfo info = new RunInfo(runName, data.name(), data.version(), taskKind(file.task(), s),
        file.task().model(), file.task().prompt(), promptVersion, file.judgeModel(), versions,
        Instant.now().toString());
    Task task = s.task() != null ? s.task() : file.task().url() != null
        ? new HttpTask(keel, file.task().url(), file.task().answer(), file.task().contexts())
        : new GatewayTask(keel, pinned(file.task(), promptVersion), runName);

    EvalRunner runner = new EvalRunner(s.keel(), s.key(), file.dataset().name() != null);
    RunResults run = runner.run(info, data.items(), task, scorers, judge, new EvalRunner.Options(
        file.concurrency(), file.retries(), results, s.resume(), s.progress()));
    if (judge != null && !Objects.equals(judge.model(), file.judgeModel())) {
      // The judge learns it is simulated only from its answers; results and reports say so,
      // and a simulated judge's scores never compare with a real one's.
      run = new RunResults(run.info().withJudge(judge.model()), run.items());
      RunResults.rewrite(results, run);
    }

    StoredRuns stored = new StoredRuns(keel);
    stored.record(run);
    Comparison comparison = file.baseline() == null ? null
        : Comparison.of(baseline(file.baseline(), stored), run, file.tolerance());
    Gate gate = Gate.of(run, file, comparison);
    Reports.write(gate, s.outDir());
    return new Outcome(gate, results);
  }

  /**
   * The task with its prompt pinned to the version resolved at the start, so a label moved
   * during the run does not mix two versions in one run.
   */
  private static EvalFile.TaskSpec pinned(EvalFile.TaskSpec t, Integer version) {
    return version == null ? t : new EvalFile.TaskSpec(t.model(), t.prompt(), null, version,
        t.system(), t.url(), t.answer(), t.contexts());
  }

  /**
   * Fails at once, rather than after every item's retries, when Keel is not there (exit 1) or
   * refuses the key (exit 2). One authenticated read of the scores API, which the run writes
   * to anyway, so a wrong key costs no task call.
   */
  private static void admitted(KeelHttp keel) {
    String probe = "/api/public/v2/scores?limit=1";
    HttpResponse<String> r;
    try {
      r = keel.exchange(probe);
    } catch (Task.RetryableException e) {
      throw new IllegalStateException("cannot reach Keel at " + keel.base() + "; is keel serve"
          + " running? (" + e.getMessage() + ")");
    }
    int status = r.statusCode();
    if (status == 401 || status == 403) {
      throw new IllegalArgumentException("Keel at " + keel.base() + " refused the key (GET "
          + "/api/public/v2/scores answered " + status + ": " + KeelHttp.abbreviate(r.body())
          + "); pass its master key with --key or KEEL_MASTER_KEY");
    }
    if (status == 429 || status >= 500) {
      throw new IllegalStateException("Keel at " + keel.base() + " is not answering (GET "
          + "/api/public/v2/scores answered " + status + ": " + KeelHttp.abbreviate(r.body())
          + ")");
    }
    if (status >= 300) {
      throw new IllegalArgumentException(keel.base() + " does not look like Keel (GET "
          + "/api/public/v2/scores answered " + status + "); check --url");
    }
  }

  private static RunResults baseline(EvalFile.Baseline b, StoredRuns stored) {
    if (b.run() != null) {
      return stored.read(b.run());
    }
    if (!Files.exists(b.file())) {
      throw new IllegalArgumentException("baseline file not found: " + b.file());
    }
    return RunResults.read(b.file());
  }

  private static Dataset dataset(EvalFile.DatasetRef ref, List<EvalItem> fileItems,
      Settings s) {
    if (ref.file() != null) {
      return new Dataset(ref.file().getFileName().toString(), "sha256:"
          + contentHash(fileItems).substring(0, 16), unique(fileItems));
    }
    DatasetClient client = new DatasetClient(s.keel(), s.key());
    try {
      int version = ref.version() != null ? ref.version() : client.version(ref.name());
      return new Dataset(ref.name(), "v" + version, unique(client.items(ref.name(), version)));
    } catch (DatasetClient.NotFoundException e) {
      // A dataset name or version the store does not have is a mistake in the file (exit 2),
      // not a failure to reach Keel.
      throw new IllegalArgumentException("dataset " + ref.name()
          + (ref.version() == null ? "" : " version " + ref.version()) + " does not exist in "
          + "Keel at " + s.keel() + " (" + e.getMessage() + ")", e);
    }
  }

  /** A dataset file's items; a file that is missing or unreadable is bad input naming why. */
  private static List<EvalItem> readFile(Path file) {
    String where = "dataset file " + file.getFileName() + " (a dataset path is relative to the"
        + " evaluation file's folder, " + file.getParent() + ")";
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(where + " does not exist");
    }
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(where + " is a folder, not a .jsonl or .csv file");
    }
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(where + " cannot be read: permission denied");
    }
    try {
      return DatasetFiles.read(file);
    } catch (UncheckedIOException e) {
      IOException cause = e.getCause();
      throw new IllegalArgumentException(where + " cannot be read: "
          + cause.getClass().getSimpleName() + " " + cause.getMessage(), e);
    }
  }

  /** Items and their content, so a reordered or reformatted file is the same version. */
  private static String contentHash(List<EvalItem> items) {
    StringBuilder b = new StringBuilder();
    items.stream().map(i -> i.id() + ":" + ItemHash.of(i)).sorted()
        .forEach(line -> b.append(line).append('\n'));
    return ItemHash.sha256(b.toString());
  }

  private static List<EvalItem> unique(List<EvalItem> items) {
    Set<String> seen = new HashSet<>();
    for (EvalItem i : items) {
      if (!seen.add(i.id())) {
        throw new IllegalArgumentException("dataset has item id " + i.id() + " twice; results"
            + " are kept by item id");
      }
    }
    return items;
  }

  private static Integer promptVersion(KeelHttp keel, EvalFile.TaskSpec t) {
    if (t.prompt() == null) {
      return null;
    }
    String q = t.promptVersion() != null ? "version=" + t.promptVersion()
        : "label=" + URLEncoder.encode(t.promptLabel(), StandardCharsets.UTF_8);
    try {
      return KeelHttp.json(keel.get("/api/public/v2/prompts/" + URLEncoder.encode(t.prompt(),
          StandardCharsets.UTF_8) + "?" + q)).path("version").asInt();
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException("cannot resolve prompt " + t.prompt() + " ("
          + q + "): " + e.getMessage());
    }
  }

  private static String taskKind(EvalFile.TaskSpec t, Settings s) {
    return s.task() != null ? "java" : t.url() != null ? "http " + t.url() : "model";
  }

  /**
   * Where and how to run.
   *
   * @param keel Keel's base URL (gateway, traces, scores, datasets, prompts)
   * @param key the master key (or a virtual key where it suffices)
   * @param outDir where {@value #RESULTS}, {@code report.json} and {@code junit.xml} go
   * @param progress where the progress bar goes, or null
   * @param task a Java task replacing the file's task (JUnit use), or null
   */
  public record Settings(URI keel, String key, Path outDir, boolean resume,
      PrintStream progress, Task task) {
    public Settings {
      Objects.requireNonNull(keel, "keel");
      Objects.requireNonNull(outDir, "outDir");
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException("no key: set KEEL_MASTER_KEY or pass --key");
      }
    }
  }

  /** The verdict and where the item results are. */
  public record Outcome(Gate gate, Path resultsFile) {}

  private record Dataset(String name, String version, List<EvalItem> items) {
    Dataset {
      items = new ArrayList<>(items);
    }
  }
}
