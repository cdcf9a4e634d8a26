package dev.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.server.KeelServer;
import dev.keel.server.ServerSettings;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * Quality-aware cost routing end to end on the built-in simulator, whose quality profiles make
 * gpt-4o-mini answer fewer answer-book questions right than gpt-4o: route by features before
 * any evaluation exists, run real evaluations of both models with {@code keel eval run}, let
 * the routes read the scores, route again, and read {@code keel cost report --routing}.
 *
 * <p>Two routes over the same two models differ only in their bar: {@code strict} asks more
 * than gpt-4o-mini measures, so its easy requests go to gpt-4o; {@code thrifty} asks less, so
 * they stay on gpt-4o-mini and save money at a measured quality below gpt-4o's.
 */
class RoutingQualityIT {

  private static final String KEY = "sk-keel-routequality0123456789abcdefghijklmno";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int QUESTIONS = 100;
  private static final String YAML = """
      routing:
        routes:
          - name: strict
            strategy: cost_aware
            deployments: [{model: gpt-4o}, {model: gpt-4o-mini}]
            cost_aware:
              quality: {metric: exact_match, min_score: 0.8, min_scores: 50, refresh_seconds: 1}
          - name: thrifty
            strategy: cost_aware
            deployments: [{model: gpt-4o}, {model: gpt-4o-mini}]
            cost_aware:
              quality: {metric: exact_match, min_score: 0.55, min_scores: 50, refresh_seconds: 1}
      """;

  @TempDir
  Path tmp;
  private KeelServer keel;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> questions = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    Files.writeString(tmp.resolve("keel.yaml"), YAML);
    keel = KeelServer.start(new ServerSettings("127.0.0.1", 0, tmp.resolve("data"), null,
        tmp.resolve("keel.yaml"), Map.of("KEEL_MASTER_KEY", KEY)));
    StringBuilder items = new StringBuilder();
    try (var in = new BufferedReader(new InputStreamReader(KeelServer.class.getResourceAsStream(
        "/dev/keel/simulator/answer-book-clapnq.jsonl"), StandardCharsets.UTF_8))) {
      in.lines().limit(QUESTIONS).map(this::tree).forEach(b -> {
        questions.add(b.path("question").asText());
        items.append(JSON.createObjectNode().put("id", b.path("id").asText())
            .put("input", b.path("question").asText())
            .put("expected_output", b.path("answer").asText())).append('\n');
      });
    }
    Files.writeString(tmp.resolve("clapnq.jsonl"), items);
  }

  @AfterEach
  void stop() {
    keel.close();
  }

  @Test
  void evaluationsThenRouting_cheapModelBelowTheBarGetsNoEasyRequests_reportShowsSavingAndQuality()
      throws Exception {
    JsonNode before = report();
    String unmeasured = chat("strict", questions.get(0));

    int evalStrong = eval("strong", "gpt-4o");
    int evalMini = eval("mini", "gpt-4o-mini");
    JsonNode measured = waitForMeasured();
    List<String> strictEasy = new ArrayList<>();
    List<String> thriftyEasy = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      strictEasy.add(chat("strict", questions.get(i)));
      thriftyEasy.add(chat("thrifty", questions.get(i)));
    }
    String thriftyHard = chat("thrifty", "Explain step by step: " + questions.get(11));
    keel.flushTraces();
    // The run's own record (naming its dataset) is written after its last score, so a refresh
    // may have seen the scores first; the next one names it.
    JsonNode r = reportOnceTheRunIsNamed();
    String printed = cli("cost", "report", "--routing");

    assertThat(before.path("routes").path(0).path("basis").asText())
        .startsWith("features only");
    assertThat(unmeasured).isEqualTo("openai/gpt-4o-mini");
    assertThat(evalStrong).isZero();
    assertThat(evalMini).isEqualTo(1);
    JsonNode strict = route(measured, "strict");
    assertThat(strict.path("basis").asText()).startsWith("features and measured exact_match: "
        + "gpt-4o-mini 0.").contains("is below 0.8, so easy requests skip it");
    assertThat(route(measured, "thrifty").path("basis").asText())
        .contains("is at or above 0.55, so it gets easy requests");
    assertThat(strictEasy).containsOnly("openai/gpt-4o");
    assertThat(thriftyEasy).containsOnly("openai/gpt-4o-mini");
    assertThat(thriftyHard).isEqualTo("openai/gpt-4o");

    JsonNode thrifty = route(r, "thrifty");
    JsonNode totals = thrifty.path("totals");
    assertThat(totals.path("requests").asLong()).isEqualTo(11);
    assertThat(new BigDecimal(totals.path("savingUsd").asText())).isPositive();
    assertThat(new BigDecimal(totals.path("strongModelCostUsd").asText()))
        .isEqualByComparingTo(new BigDecimal(totals.path("costUsd").asText())
            .add(new BigDecimal(totals.path("savingUsd").asText())));
    assertThat(totals.path("savingPercent").asDouble()).isBetween(50.0, 100.0);
    JsonNode quality = thrifty.path("quality");
    double mini = modelQuality(thrifty, "gpt-4o-mini").path("mean").asDouble();
    double strong = quality.path("strongModelQuality").asDouble();
    assertThat(mini).isBetween(0.55, 0.8);
    assertThat(strong).isGreaterThan(0.8);
    assertThat(quality.path("expectedQuality").asDouble())
        .isCloseTo((10 * mini + strong) / 11, org.assertj.core.data.Offset.offset(0.001));
    JsonNode source = modelQuality(thrifty, "gpt-4o-mini").path("sources").path(0);
    assertThat(source.path("run").asText()).startsWith("mini-");
    assertThat(source.path("kind").asText()).isEqualTo("eval_run");
    assertThat(source.path("dataset").asText()).isEqualTo("clapnq.jsonl");
    assertThat(source.path("scores").asLong()).isEqualTo(QUESTIONS);
    JsonNode strictTotals = route(r, "strict").path("totals");
    assertThat(new BigDecimal(strictTotals.path("savingUsd").asText()))
        .as("one easy request went to gpt-4o-mini before any evaluation").isPositive();
    assertThat(route(r, "strict").path("tiers").toString()).contains("\"tier\":\"easy\","
        + "\"model\":\"gpt-4o\",\"requests\":10");
    assertThat(printed).contains("route thrifty (strong model gpt-4o): features and measured")
        .containsPattern("easy +gpt-4o-mini +10 +0 ")
        .containsPattern("hard +gpt-4o +1 +0 ")
        .contains("against always using gpt-4o")
        .contains("measured exact_match: gpt-4o-mini 0.")
        .contains("scores; run mini-")
        .contains("expected quality 0.");
    System.out.println(printed); // for the record in the test's output file
  }

  private JsonNode reportOnceTheRunIsNamed() throws Exception {
    for (int i = 0; i < 50; i++) {
      JsonNode r = report();
      if (!modelQuality(route(r, "thrifty"), "gpt-4o-mini").path("sources").path(0)
          .path("dataset").isNull()) {
        return r;
      }
      Thread.sleep(100);
    }
    return report();
  }

  private JsonNode waitForMeasured() throws Exception {
    for (int i = 0; i < 100; i++) {
      JsonNode r = report();
      if (route(r, "strict").path("basis").asText().startsWith("features and measured")
          && route(r, "thrifty").path("basis").asText().startsWith("features and measured")) {
        return r;
      }
      Thread.sleep(100);
    }
    return report();
  }

  private static JsonNode route(JsonNode report, String name) {
    for (JsonNode r : report.path("routes")) {
      if (r.path("route").asText().equals(name)) {
        return r;
      }
    }
    throw new AssertionError("no route " + name + " in " + report);
  }

  private static JsonNode modelQuality(JsonNode route, String model) {
    for (JsonNode m : route.path("models")) {
      if (m.path("model").asText().equals(model)) {
        return m.path("quality");
      }
    }
    throw new AssertionError("no model " + model + " in " + route);
  }

  /** Asks a route; returns the deployment that answered. */
  private String chat(String model, String question) throws Exception {
    String body = JSON.createObjectNode().put("model", model).set("messages",
        JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user")
            .put("content", question))).toString();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(url("/v1/chat/completions"))
        .header("authorization", "Bearer " + KEY).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.headers().firstValue("x-keel-model").orElseThrow();
  }

  private JsonNode report() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(url("/api/keel/reports/routing"))
        .header("authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private int eval(String name, String model) throws Exception {
    Path f = tmp.resolve(name + ".yaml");
    Files.writeString(f, """
        name: %s
        dataset: clapnq.jsonl
        task: {model: %s}
        scorers:
          - {name: exact_match, min_mean: 0.8}
        concurrency: 8
        """.formatted(name, model));
    var err = new StringWriter();
    var savedErr = System.err;
    var savedOut = System.out;
    System.setErr(new PrintStream(new ByteArrayOutputStream(), true));
    System.setOut(new PrintStream(new ByteArrayOutputStream(), true));
    try {
      return command(err).setOut(new PrintWriter(new StringWriter())).execute("eval", "run",
          f.toString(), "--out", tmp.resolve(name).toString(), "--key", KEY, "--url", base());
    } finally {
      System.setErr(savedErr);
      System.setOut(savedOut);
    }
  }

  private String cli(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      String[] all = new String[args.length + 4];
      System.arraycopy(args, 0, all, 0, args.length);
      System.arraycopy(new String[] {"--url", base(), "--key", KEY}, 0, all, args.length, 4);
      assertThat(command(err).execute(all)).as(err.toString()).isZero();
    } finally {
      System.setOut(old);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static CommandLine command(StringWriter err) {
    return new CommandLine(new KeelCommand()).setErr(new PrintWriter(err, true))
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("keel: " + e.getMessage());
          return 1;
        });
  }

  private String base() {
    return "http://127.0.0.1:" + keel.port();
  }

  private URI url(String path) {
    return URI.create(base() + path);
  }

  private JsonNode tree(String line) {
    try {
      return JSON.readTree(line);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
