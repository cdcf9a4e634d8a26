package dev.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.server.KeelServer;
import dev.keel.server.ServerSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code keel eval} against a real Keel with the built-in simulator: the gate passes for a good
 * model and fails for a weaker one (threshold and regression against a committed baseline), and
 * an interrupted run resumes without calling the model again for finished items.
 *
 * <p>The dataset's inputs carry simulator directives: every item answers correctly on
 * {@code gpt-4o}; on {@code gpt-4o-mini} only the even items do.
 */
class EvalCommandIT {

  private static final String KEY = "sk-keel-evaltest0123456789abcdefghijklmnopqrstu";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ITEMS = 20;

  @TempDir
  Path tmp;
  private KeelServer keel;

  @BeforeEach
  void start() throws Exception {
    keel = KeelServer.start(new ServerSettings("127.0.0.1", 0, tmp.resolve("data"), null, null,
        Map.of("KEEL_MASTER_KEY", KEY)));
    StringBuilder items = new StringBuilder();
    for (int i = 0; i < ITEMS; i++) {
      String gold = "answer-" + i;
      String directive = i % 2 == 0 ? "[[sim reply=\"" + gold + "\"]]"
          : "[[sim reply=\"" + gold + "\" model=gpt-4o]]";
      items.append(JSON.createObjectNode().put("id", "q" + i)
          .put("input", directive + " Question number " + i + "?")
          .put("expected_output", gold)).append('\n');
    }
    Files.writeString(tmp.resolve("qa.jsonl"), items);
  }

  @AfterEach
  void stop() {
    keel.close();
  }

  @Test
  void run_goodModelPasses_weakerModelFailsThresholdAndRegressesAgainstBaseline()
      throws Exception {
    Path good = evalFile("good", "gpt-4o", null);
    Result first = eval("run", good.toString(), "--out", tmp.resolve("good").toString());
    Files.copy(tmp.resolve("good/results.jsonl"), tmp.resolve("baseline.jsonl"));
    Path weak = evalFile("weak", "gpt-4o-mini", "baseline.jsonl");
    Result second = eval("run", weak.toString(), "--out", tmp.resolve("weak").toString());
    Result compare = eval("compare", tmp.resolve("good").toString(),
        tmp.resolve("weak").toString());

    assertThat(first.code).as(first.out + first.err).isZero();
    assertThat(first.out).containsPattern("exact_match +1\\.000 +1\\.000 +20 +0")
        .contains("PASS exact_match mean: mean 1.000, threshold 0.800", "gate: passed");
    assertThat(second.code).as(second.out + second.err).isEqualTo(1);
    assertThat(second.out).containsPattern("exact_match +0\\.500 +0\\.500 +20 +0")
        .contains("FAIL exact_match mean: mean 0.500, threshold 0.800",
            "FAIL exact_match vs baseline: 1.000 -> 0.500, delta -0.500", "gate: FAILED");
    assertThat(compare.code).isEqualTo(1);
    assertThat(compare.out).containsPattern("exact_match +1\\.000 +0\\.500 +-0\\.500 .*"
        + "REGRESSION").contains("10 item scores changed", "q1 ");
    JsonNode report = JSON.readTree(tmp.resolve("weak/report.json").toFile());
    assertThat(report.path("passed").asBoolean()).isFalse();
    assertThat(report.path("baseline").path(0).path("regression").asBoolean()).isTrue();
    assertThat(Files.readString(tmp.resolve("weak/junit.xml")))
        .contains("tests=\"3\" failures=\"2\"", "<failure message=\"mean 0.500");
    assertThat(traceCount()).isEqualTo(2 * ITEMS + 2);
    JsonNode trace = trace(firstTraceId(tmp.resolve("good/results.jsonl")));
    assertThat(trace.path("tags").toString()).contains("keel-eval");
    assertThat(trace.path("scores").path(0).path("name").asText()).isEqualTo("exact_match");
    assertThat(trace.path("scores").path(0).path("value").asDouble()).isEqualTo(1.0);
  }

  @Test
  void run_answerBookQuestions_qualityProfilesSeparateModels_judgeMarkedSimulated()
      throws Exception {
    StringBuilder items = new StringBuilder();
    try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(
        KeelServer.class.getResourceAsStream("/dev/keel/simulator/answer-book-clapnq.jsonl"),
        java.nio.charset.StandardCharsets.UTF_8))) {
      in.lines().limit(100).map(this::tree).forEach(b -> items.append(JSON.createObjectNode()
          .put("id", b.path("id").asText()).put("input", b.path("question").asText())
          .put("expected_output", b.path("answer").asText())).append('\n'));
    }
    Files.writeString(tmp.resolve("clapnq.jsonl"), items);
    String file = """
        dataset: clapnq.jsonl
        task: {model: %s}
        scorers:
          - {name: exact_match, min_mean: 0.85}
          - {name: reference_guided, options: {rubric: "Is the answer correct?"}}
        judge: gpt-4o-mini
        concurrency: 8
        """;
    Files.writeString(tmp.resolve("strong.yaml"), file.formatted("gpt-4o"));
    Files.writeString(tmp.resolve("weaker.yaml"), file.formatted("gpt-4o-mini")
        + "baseline: strong/results.jsonl\ntolerance: 0.02\n");

    Result strong = eval("run", tmp.resolve("strong.yaml").toString(), "--out",
        tmp.resolve("strong").toString());
    Result weaker = eval("run", tmp.resolve("weaker.yaml").toString(), "--out",
        tmp.resolve("weaker").toString());

    assertThat(strong.code).as(strong.out + strong.err).isZero();
    assertThat(strong.out).contains("judge gpt-4o-mini (simulated)", "gate: passed");
    assertThat(weaker.code).as(weaker.out + weaker.err).isEqualTo(1);
    assertThat(weaker.out).contains("FAIL exact_match mean", "FAIL exact_match vs baseline",
        "PASS task errors: 0 of 100 items failed");
    JsonNode s = JSON.readTree(tmp.resolve("strong/report.json").toFile());
    JsonNode w = JSON.readTree(tmp.resolve("weaker/report.json").toFile());
    assertThat(s.path("run").path("judgeModel").asText()).isEqualTo("gpt-4o-mini (simulated)");
    assertThat(s.path("scorers").path(0).path("mean").asDouble()).isBetween(0.85, 0.95);
    assertThat(w.path("scorers").path(0).path("mean").asDouble()).isBetween(0.6, 0.8);
    assertThat(s.path("scorers").path(1).path("mean").asDouble())
        .isGreaterThan(w.path("scorers").path(1).path("mean").asDouble());
  }

  private JsonNode tree(String line) {
    try {
      return JSON.readTree(line);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void run_registeredPrompt_versionResolvedAndRecorded_newVersionComparedWithTheOld()
      throws Exception {
    post("/api/public/v2/prompts", JSON.createObjectNode().put("name", "qa").put("type", "text")
        .put("prompt", "[[sim reply=\"{{gold}}\"]] Answer: {{question}}")
        .set("labels", JSON.createArrayNode().add("production")));
    Files.writeString(tmp.resolve("vars.jsonl"), """
        {"id": "a", "input": {"gold": "Paris", "question": "capital of France?"}, \
        "expected_output": "Paris"}
        {"id": "b", "input": {"gold": "Rome", "question": "capital of Italy?"}, \
        "expected_output": "Rome"}
        """);
    Path file = tmp.resolve("prompt.yaml");
    Files.writeString(file, Files.readString(evalFile("prompted", "gpt-4o", null))
        .replace("dataset: qa.jsonl", "dataset: vars.jsonl")
        .replace("  model: gpt-4o\n", "  model: gpt-4o\n  prompt: {name: qa}\n"));

    Result v1 = eval("run", file.toString(), "--out", tmp.resolve("v1").toString());
    post("/api/public/v2/prompts", JSON.createObjectNode().put("name", "qa").put("type", "text")
        .put("prompt", "[[sim reply=\"I am not sure.\"]] {{question}} {{gold}}")
        .set("labels", JSON.createArrayNode().add("production")));
    Result v2 = eval("run", file.toString(), "--out", tmp.resolve("v2").toString());
    Result compare = eval("compare", tmp.resolve("v1").toString(), tmp.resolve("v2").toString());

    assertThat(v1.code).as(v1.out + v1.err).isZero();
    assertThat(v1.out).contains("prompt qa v1").containsPattern("exact_match +1\\.000");
    assertThat(v2.code).isEqualTo(1);
    assertThat(v2.out).contains("prompt qa v2").containsPattern("exact_match +0\\.000");
    assertThat(compare.out).containsPattern("exact_match +1\\.000 +0\\.000 +-1\\.000");
  }

  @Test
  void run_baselineIsAStoredRun_readBackFromKeel() throws Exception {
    Path good = evalFile("good", "gpt-4o", null);
    eval("run", good.toString(), "--out", tmp.resolve("good").toString());
    String goodRun = JSON.readTree(Files.readAllLines(tmp.resolve("good/results.jsonl"))
        .get(0)).path("run").path("run").asText();
    traceCount();
    Path sameAgain = tmp.resolve("again.yaml");
    Files.writeString(sameAgain, Files.readString(good) + "baseline: {run: " + goodRun + "}\n");
    Path weak = tmp.resolve("weak.yaml");
    Files.writeString(weak, Files.readString(evalFile("w", "gpt-4o-mini", null))
        + "baseline: {run: " + goodRun + "}\n");
    Path missing = tmp.resolve("missing.yaml");
    Files.writeString(missing, Files.readString(good) + "baseline: {run: nobody}\n");

    Result again = eval("run", sameAgain.toString(), "--out", tmp.resolve("a").toString());
    Result worse = eval("run", weak.toString(), "--out", tmp.resolve("w").toString());
    Result none = eval("run", missing.toString(), "--out", tmp.resolve("m").toString());

    assertThat(again.code).as(again.out + again.err).isZero();
    assertThat(again.out).contains("PASS exact_match vs baseline: 1.000 -> 1.000, delta 0.000"
        + ", 95% CI [0.000, 0.000] over 20 items");
    assertThat(worse.code).isEqualTo(1);
    assertThat(worse.out).contains("FAIL exact_match vs baseline: 1.000 -> 0.500");
    assertThat(none.code).isEqualTo(2);
    assertThat(none.err).contains("no stored eval run nobody in Keel");
  }

  @Test
  void run_storedDataset_recordsItsVersion_andLinksADatasetRun() throws Exception {
    post("/api/public/datasets", JSON.createObjectNode().put("name", "qa"));
    for (String line : Files.readAllLines(tmp.resolve("qa.jsonl"))) {
      JsonNode item = JSON.readTree(line);
      post("/api/public/dataset-items", JSON.createObjectNode().put("datasetName", "qa")
          .put("id", item.path("id").asText()).put("input", item.path("input").asText())
          .put("expectedOutput", item.path("expected_output").asText()));
    }
    Path file = tmp.resolve("stored.yaml");
    Files.writeString(file, Files.readString(evalFile("stored", "gpt-4o", null))
        .replace("dataset: qa.jsonl", "dataset: {name: qa}"));

    Result r = eval("run", file.toString(), "--out", tmp.resolve("stored").toString());

    assertThat(r.code).as(r.out + r.err).isZero();
    assertThat(r.out).contains("dataset qa v" + ITEMS + ", task model")
        .containsPattern("exact_match +1\\.000 +1\\.000 +20 +0");
    String run = JSON.readTree(Files.readAllLines(tmp.resolve("stored/results.jsonl")).get(0))
        .path("run").path("run").asText();
    String datasetId = get("/api/public/v2/datasets/qa").path("id").asText();
    JsonNode links = get("/api/public/dataset-run-items?datasetId=" + datasetId + "&runName="
        + run);
    assertThat(links.path("data")).hasSize(ITEMS);
    assertThat(links.path("data").path(0).path("traceId").asText()).startsWith("eval-");
  }

  @Test
  void run_storedDatasetThatDoesNotExist_isExitTwoNamingIt() throws Exception {
    Path file = tmp.resolve("absent.yaml");
    Files.writeString(file, Files.readString(evalFile("absent", "gpt-4o", null))
        .replace("dataset: qa.jsonl", "dataset: {name: no-such-set}"));
    post("/api/public/datasets", JSON.createObjectNode().put("name", "qa"));
    Path version = tmp.resolve("version.yaml");
    Files.writeString(version, Files.readString(evalFile("version", "gpt-4o", null))
        .replace("dataset: qa.jsonl", "dataset: {name: qa, version: 7}"));

    Result absent = eval("run", file.toString(), "--out", tmp.resolve("absent").toString());
    Result noVersion = eval("run", version.toString(), "--out", tmp.resolve("v").toString());

    assertThat(absent.code).as(absent.out + absent.err).isEqualTo(2);
    assertThat(absent.err).contains("keel eval: dataset no-such-set does not exist in Keel");
    assertThat(noVersion.code).as(noVersion.out + noVersion.err).isEqualTo(2);
    assertThat(noVersion.err).contains("keel eval: dataset qa version 7 does not exist");
    assertThat(traceCount()).isZero();
  }

  private void post(String path, JsonNode body) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + keel.port() + path)).header("authorization", "Bearer " + KEY)
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isLessThan(300);
  }

  @Test
  void run_rateLimitedItemRetried_brokenItemFailsTheErrorCheck() throws Exception {
    Files.writeString(tmp.resolve("faults.jsonl"), """
        {"id": "ok", "input": "[[sim reply=\\"yes\\"]] fine?", "expected_output": "yes"}
        {"id": "limited", "input": "[[sim fault=429 retry_after=0 times=4]] \
        [[sim reply=\\"yes\\"]] busy?", "expected_output": "yes"}
        {"id": "broken", "input": "[[sim fault=500]] down?", "expected_output": "yes"}
        """);
    Path file = tmp.resolve("faults.yaml");
    Files.writeString(file, Files.readString(evalFile("faults", "gpt-4o", null))
        .replace("dataset: qa.jsonl", "dataset: faults.jsonl").replace("retries: 1",
            "retries: 2"));

    Result r = eval("run", file.toString(), "--out", tmp.resolve("faults").toString());

    assertThat(r.code).as(r.out + r.err).isEqualTo(1);
    assertThat(r.out).contains("FAIL task errors: 1 of 3 items failed (33.3%, max 0.0%)",
        "PASS exact_match mean: mean 1.000, threshold 0.800");
    var items = new java.util.HashMap<String, JsonNode>();
    for (String line : Files.readAllLines(tmp.resolve("faults/results.jsonl")).subList(1, 4)) {
      JsonNode item = JSON.readTree(line).path("item");
      items.put(item.path("id").asText(), item);
    }
    // Three 429s use up the gateway's own retries; the runner's second attempt gets through.
    assertThat(items.get("limited").path("attempts").asInt()).isEqualTo(2);
    assertThat(items.get("limited").path("output").asText()).isEqualTo("yes");
    assertThat(items.get("broken").path("attempts").asInt()).isEqualTo(3);
    assertThat(items.get("broken").path("error").asText()).contains("answered 5");
  }

  @Test
  void resume_afterInterruption_runsOnlyUnfinishedItems() throws Exception {
    Path good = evalFile("good", "gpt-4o", null);
    Path out = tmp.resolve("out");
    eval("run", good.toString(), "--out", out.toString());
    Path results = out.resolve("results.jsonl");
    List<String> lines = Files.readAllLines(results);
    // An interruption after 6 finished items, with the 7th line half written.
    Files.writeString(results, String.join("\n", lines.subList(0, 7)) + "\n"
        + lines.get(7).substring(0, 40));
    int tracesBefore = traceCount();

    Result resumed = eval("run", good.toString(), "--out", out.toString(), "--resume");

    assertThat(resumed.code).as(resumed.out + resumed.err).isZero();
    assertThat(resumed.err).contains("resuming: 6 of 20 items already done");
    assertThat(resumed.out).containsPattern("exact_match +1\\.000 +1\\.000 +20 +0");
    assertThat(traceCount()).isEqualTo(tracesBefore + ITEMS - 6);
    List<String> after = Files.readAllLines(results);
    assertThat(after).hasSize(1 + ITEMS);
    assertThat(after.get(0)).isEqualTo(lines.get(0));
    String run = JSON.readTree(lines.get(0)).path("run").path("run").asText();
    assertThat(get("/api/public/traces?limit=100&tags=" + run).path("meta").path("totalItems")
        .asInt()).isEqualTo(ITEMS + ITEMS - 6);
  }

  @Test
  void compare_runsWithNoScorerInCommon_isExitTwoNamingEachRunsScorers() throws Exception {
    Path exact = evalFile("exact", "gpt-4o", null);
    Path contains = tmp.resolve("contains.yaml");
    Files.writeString(contains, Files.readString(evalFile("contains", "gpt-4o", null))
        .replace("  - name: exact_match\n    options: {trim: true}\n", "  - name: contains\n"));
    eval("run", exact.toString(), "--out", tmp.resolve("exact").toString());
    eval("run", contains.toString(), "--out", tmp.resolve("contains").toString());

    Result compare = eval("compare", tmp.resolve("exact").toString(),
        tmp.resolve("contains").toString());

    assertThat(compare.code).as(compare.out + compare.err).isEqualTo(2);
    assertThat(compare.out).isEmpty();
    assertThat(compare.err).contains("runs have no scorer in common, nothing to compare:"
        + " exact", " scored exact_match, contains", " scored contains");
  }

  @Test
  void run_badFileOrBaseline_isExitTwoNamingTheProblem() throws Exception {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, "dataset: qa.jsonl\ntask: {model: gpt-4o}\nscorers: []\n");
    Path typo = tmp.resolve("typo.yaml");
    Files.writeString(typo, "dataset: qa.jsonl\ntask: {modle: gpt-4o}\nscorers: [contains]\n");

    Path scorer = tmp.resolve("scorer.yaml");
    Files.writeString(scorer, "dataset: qa.jsonl\ntask: {model: gpt-4o}\nscorers: [nope]\n");

    Result unknownScorer = eval("run", scorer.toString(), "--out", tmp.resolve("s").toString());
    Result empty = eval("run", bad.toString());
    Result unknown = eval("run", typo.toString());
    Result compare = eval("compare", bad.toString(), typo.toString());

    assertThat(empty.code).isEqualTo(2);
    assertThat(empty.err).contains("bad.yaml: scorers must list at least one scorer");
    assertThat(unknown.code).isEqualTo(2);
    assertThat(unknown.err).contains("unknown key task.modle; allowed: [answer, contexts, model,"
        + " prompt, system, url]");
    assertThat(unknownScorer.code).isEqualTo(2);
    assertThat(unknownScorer.err).contains("keel eval: unknown scorer: nope (available: ");
    assertThat(traceCount()).isZero();
    assertThat(compare.code).isEqualTo(2);
    assertThat(compare.err).contains("bad.yaml line 1 is not a Keel eval result");
  }

  @Test
  void run_missingDatasetFileWrongKeyOrNoKeel_failsAtOnceNamingIt_noItemRuns()
      throws Exception {
    Path missing = tmp.resolve("missing.yaml");
    Files.writeString(missing, Files.readString(evalFile("missing", "gpt-4o", null))
        .replace("dataset: qa.jsonl", "dataset: nope.jsonl"));
    Files.createDirectories(tmp.resolve("folder.jsonl"));
    Path folder = tmp.resolve("folder.yaml");
    Files.writeString(folder, Files.readString(evalFile("folder", "gpt-4o", null))
        .replace("dataset: qa.jsonl", "dataset: folder.jsonl"));
    Path good = evalFile("good", "gpt-4o", null);
    String wrong = "sk-keel-wrong0123456789abcdefghijklmnopqrstuvwxyz";

    Result absent = eval("run", missing.toString(), "--out", tmp.resolve("m").toString());
    Result notAFile = eval("run", folder.toString(), "--out", tmp.resolve("f").toString());
    Result refused = evalWith(wrong, "http://127.0.0.1:" + keel.port(), "run",
        good.toString(), "--out", tmp.resolve("k").toString());
    Result nowhere = evalWith(KEY, "http://127.0.0.1:1", "run", good.toString(), "--out",
        tmp.resolve("n").toString());

    assertThat(absent.code).as(absent.out + absent.err).isEqualTo(2);
    assertThat(absent.err).contains("keel eval: dataset file nope.jsonl (a dataset path is "
        + "relative to the evaluation file's folder, " + tmp.toAbsolutePath()
        + ") does not exist");
    assertThat(notAFile.code).as(notAFile.out + notAFile.err).isEqualTo(2);
    assertThat(notAFile.err).contains("dataset file folder.jsonl", "is a folder");
    assertThat(refused.code).as(refused.out + refused.err).isEqualTo(2);
    assertThat(refused.err).contains("keel eval: Keel at http://127.0.0.1:" + keel.port()
        + " refused the key (GET /api/public/v2/scores answered 401", "--key")
        .doesNotContain(wrong);
    assertThat(nowhere.code).isEqualTo(1);
    assertThat(nowhere.err).contains("cannot reach Keel at http://127.0.0.1:1");
    assertThat(traceCount()).as("no item ran").isZero();
    assertThat(tmp.resolve("k/results.jsonl")).doesNotExist();
  }

  private Path evalFile(String name, String model, String baseline) throws Exception {
    Path f = tmp.resolve(name + ".yaml");
    Files.writeString(f, """
        name: %s
        dataset: qa.jsonl
        task:
          model: %s
        scorers:
          - name: exact_match
            options: {trim: true}
            min_mean: 0.8
        concurrency: 4
        retries: 1
        """.formatted(name, model) + (baseline == null ? "" : "baseline: " + baseline
        + "\ntolerance: 0.05\n"));
    return f;
  }

  private Result eval(String... args) {
    return args[0].equals("run") ? evalWith(KEY, "http://127.0.0.1:" + keel.port(), args)
        : evalWith(null, null, args);
  }

  /** {@code keel eval ARGS}, with {@code --key} and {@code --url} when they are not null. */
  private Result evalWith(String key, String url, String... args) {
    var all = new ArrayList<>(List.of("eval"));
    all.addAll(List.of(args));
    if (key != null) {
      all.addAll(List.of("--key", key, "--url", url));
    }
    var out = new StringWriter();
    var err = new StringWriter();
    var savedErr = System.err;
    var progress = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(progress, true));
    int code;
    try {
      code = new CommandLine(new KeelCommand()).setOut(new PrintWriter(out))
          .setErr(new PrintWriter(err))
          .setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("keel: " + e.getMessage());
            return 1;
          })
          .execute(all.toArray(String[]::new));
    } finally {
      System.setErr(savedErr);
    }
    return new Result(code, out.toString(), err + progress.toString());
  }

  private int traceCount() throws Exception {
    int n = -1;
    for (int i = 0; i < 50; i++) {
      int now = get("/api/public/traces?limit=1").path("meta").path("totalItems").asInt();
      if (now == n) {
        return n;
      }
      n = now;
      Thread.sleep(200);
    }
    return n;
  }

  private JsonNode trace(String id) throws Exception {
    for (int i = 0; i < 50; i++) {
      JsonNode t = get("/api/public/traces/" + id);
      if (t.path("scores").size() > 0) {
        return t;
      }
      Thread.sleep(100);
    }
    return get("/api/public/traces/" + id);
  }

  private static String firstTraceId(Path results) throws Exception {
    return JSON.readTree(Files.readAllLines(results).get(1)).path("item").path("traceId")
        .asText();
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + keel.port() + path)).header("authorization", "Bearer " + KEY)
        .build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  private record Result(int code, String out, String err) {}
}
