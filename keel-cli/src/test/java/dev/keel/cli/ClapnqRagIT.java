package dev.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.keel.eval.run.EvalFile;
import dev.keel.eval.run.Evaluation;
import dev.keel.eval.run.Reports;
import dev.keel.eval.run.Task;
import dev.keel.examples.clapnq.HybridRetriever;
import dev.keel.examples.clapnq.Passages;
import dev.keel.examples.clapnq.RagServer;
import dev.keel.examples.clapnq.TracedRag;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Document Q&A over ClapNQ, end to end, with the example app of examples/clapnq-rag: its hybrid
 * retriever (Lucene BM25 and all-MiniLM-L6-v2 embeddings, fused by reciprocal rank) over the
 * 300 gold passages of the simulator's answer book, each retrieval traced as a RETRIEVER
 * observation and each answer asked through Keel's gateway in the same trace; scored with the
 * non-LLM context precision and recall against ClapNQ's gold passages (real retrieval numbers)
 * and faithfulness with the simulated judge. BM25 alone is measured against the hybrid as
 * baseline; the gate catches a deliberately weaker retriever (BM25 on the question's first three
 * words only). The app's HTTP endpoint is evaluated by {@code keel eval run} with the example's
 * evaluation file.
 */
class ClapnqRagIT {

  private static final String KEY = "sk-keel-ragtest0123456789abcdefghijklmnopqrstuvw";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ITEMS = 60;
  private static final int TOP = 3;
  private static final Path EXAMPLE = Path.of("..", "examples", "clapnq-rag");

  static {
    // MiniLM's tokenizer unpacks native files; keep them in the build folder.
    System.setProperty("DJL_CACHE_DIR", Path.of("target", "djl").toAbsolutePath().toString());
  }

  @TempDir
  Path tmp;
  private KeelServer keel;
  private HybridRetriever retriever;

  @BeforeEach
  void start() throws Exception {
    keel = KeelServer.start(new ServerSettings("127.0.0.1", 0, tmp.resolve("data"), null, null,
        Map.of("KEEL_MASTER_KEY", KEY)));
    Passages book = Passages.load();
    StringBuilder dataset = new StringBuilder();
    for (Passages.Item b : book.items().subList(0, ITEMS)) {
      ObjectNode item = JSON.createObjectNode().put("id", b.id()).put("input", b.question())
          .put("expected_output", b.answer());
      item.putArray("contexts").add(b.passage());
      dataset.append(item).append('\n');
    }
    Files.writeString(tmp.resolve("clapnq.jsonl"), dataset);
    retriever = new HybridRetriever(book.texts());
  }

  @AfterEach
  void stop() {
    keel.close();
  }

  @Test
  void hybridRetriever_passesTheGate_bm25Regresses_weakerRetrieverIsCaught() throws Exception {
    String file = """
        name: %s
        dataset: clapnq.jsonl
        task: {model: gpt-4o}
        scorers:
          - {name: nonllm_context_recall, min_mean: 0.6}
          - {name: nonllm_context_precision}
          - {name: faithfulness}
        judge: gpt-4o-mini
        concurrency: 4
        """;
    Files.writeString(tmp.resolve("hybrid.yaml"), file.formatted("hybrid"));
    Files.writeString(tmp.resolve("bm25.yaml"), file.formatted("bm25")
        + "baseline: hybrid/results.jsonl\ntolerance: 0.05\n");
    Files.writeString(tmp.resolve("weak.yaml"), file.formatted("weak")
        + "baseline: hybrid/results.jsonl\ntolerance: 0.02\n");

    Evaluation.Outcome good = Evaluation.run(EvalFile.read(tmp.resolve("hybrid.yaml")),
        settings("hybrid", rag("hybrid", q -> retriever.retrieve(q,
            HybridRetriever.Mode.HYBRID, TOP))));
    Evaluation.Outcome bm25 = Evaluation.run(EvalFile.read(tmp.resolve("bm25.yaml")),
        settings("bm25", rag("bm25", q -> retriever.retrieve(q, HybridRetriever.Mode.BM25,
            TOP))));
    Evaluation.Outcome weak = Evaluation.run(EvalFile.read(tmp.resolve("weak.yaml")),
        settings("weak", rag("bm25-3-words", q -> retriever.bm25(q, TOP, 3).stream()
            .map(retriever::passage).toList())));

    System.out.println(Reports.table(good.gate()) + "\n" + Reports.table(bm25.gate()) + "\n"
        + Reports.table(weak.gate()));
    assertThat(bm25.gate().aggregates().get(0).mean()).isGreaterThan(0.6);
    assertThat(bm25.gate().comparison().regressed()).as("BM25 alone is worse than hybrid")
        .isTrue();
    assertThat(good.gate().passed()).as(Reports.table(good.gate())).isTrue();
    assertThat(weak.gate().passed()).as(Reports.table(weak.gate())).isFalse();
    assertThat(weak.gate().comparison().deltas().get(0).regression()).isTrue();
    assertThat(good.gate().results().info().judgeModel()).isEqualTo("gpt-4o-mini (simulated)");
    JsonNode trace = trace(good.gate().results().items().get(0).traceId());
    assertThat(trace.path("observations").findValuesAsText("type"))
        .contains("RETRIEVER", "GENERATION");
  }

  @Test
  void exampleApp_ownTraceNamed_andItsEndpointEvaluatedByKeelEvalRun() throws Exception {
    var rag = new TracedRag(URI.create(url()), KEY, "gpt-4o", "hybrid",
        q -> retriever.retrieve(q, HybridRetriever.Mode.HYBRID, TOP));
    HttpServer app = RagServer.start(rag, 0);
    try {
      Path data = tmp.resolve("first20.jsonl");
      Files.write(data, Files.readAllLines(EXAMPLE.resolve(
          "../eval/clapnq-qa/clapnq-qa.jsonl")).subList(0, 20));
      Path file = tmp.resolve("rag.yaml");
      Files.writeString(file, Files.readString(EXAMPLE.resolve("rag.yaml"))
          .replace("../eval/clapnq-qa/clapnq-qa.jsonl", data.toString())
          .replace("127.0.0.1:8087", "127.0.0.1:" + app.getAddress().getPort()));

      TracedRag.Answer own = rag.answer(Passages.load().items().get(0).question(), null);
      var out = new StringWriter();
      var err = new StringWriter();
      int code = new CommandLine(new KeelCommand()).setOut(new PrintWriter(out))
          .setErr(new PrintWriter(err)).execute("eval", "run", file.toString(), "--url", url(),
              "--key", KEY, "--out", tmp.resolve("rag-out").toString());

      assertThat(code).as(out + "\n" + err).isZero();
      assertThat(out.toString()).contains("gate: passed").containsPattern(
          "nonllm_context_recall +(0\\.[6-9]|1\\.0)");
      JsonNode ownTrace = trace(own.traceId());
      assertThat(ownTrace.path("name").asText()).isEqualTo("clapnq-rag");
      assertThat(ownTrace.path("observations").findValuesAsText("name")).contains("hybrid");
      assertThat(own.contexts()).hasSize(TOP);
      String evalTraceId = JSON.readTree(Files.readAllLines(tmp.resolve("rag-out/results.jsonl"))
          .get(1)).path("item").path("traceId").asText();
      assertThat(trace(evalTraceId).path("observations").findValuesAsText("type"))
          .contains("RETRIEVER", "GENERATION");
      // Each item costs what its trace's priced GENERATION cost; table and report say the sum.
      List<String> lines = Files.readAllLines(tmp.resolve("rag-out/results.jsonl"));
      java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
      for (String line : lines.subList(1, lines.size())) {
        JsonNode item = JSON.readTree(line).path("item");
        assertThat(item.path("costUsd").isTextual()).as(line).isTrue();
        java.math.BigDecimal cost = new java.math.BigDecimal(item.path("costUsd").asText());
        assertThat(cost).isPositive().isEqualByComparingTo(
            trace(item.path("traceId").asText()).path("totalCost").decimalValue());
        sum = sum.add(cost);
      }
      assertThat(out.toString()).doesNotContain("cost unknown")
          .contains("cost $" + sum.toPlainString() + "\n");
      assertThat(new java.math.BigDecimal(JSON.readTree(tmp.resolve("rag-out/report.json")
          .toFile()).path("costUsd").asText())).isEqualByComparingTo(sum);
    } finally {
      app.stop(0);
    }
  }

  private Evaluation.Settings settings(String out, Task task) {
    return new Evaluation.Settings(URI.create(url()), KEY, tmp.resolve(out), false, null, task);
  }

  private Task rag(String name, java.util.function.Function<String, List<String>> search) {
    return new TracedRag(URI.create(url()), KEY, "gpt-4o", name, search).task();
  }

  private String url() {
    return "http://127.0.0.1:" + keel.port();
  }

  private JsonNode trace(String id) throws Exception {
    for (int i = 0; i < 50; i++) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(url() + "/api/public/traces/" + id))
          .header("authorization", "Bearer " + KEY).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode t = JSON.readTree(r.body());
      if (t.path("observations").size() >= 2) {
        return t;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("trace " + id + " never had two observations");
  }
}
