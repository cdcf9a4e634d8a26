package dev.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.eval.TaskOutput;
import dev.keel.eval.run.EvalFile;
import dev.keel.eval.run.Evaluation;
import dev.keel.eval.run.Reports;
import dev.keel.eval.run.Task;
import dev.keel.eval.score.MiniLm;
import dev.keel.server.KeelServer;
import dev.keel.server.ServerSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Document Q&A over ClapNQ, end to end: a hybrid retriever (Lucene BM25 and all-MiniLM-L6-v2
 * embeddings, fused by reciprocal rank) over the 300 gold passages of the simulator's answer
 * book, each retrieval traced as a RETRIEVER observation and each answer asked through Keel's
 * gateway in the same trace; scored with the non-LLM context precision and recall against
 * ClapNQ's gold passages (real retrieval numbers) and faithfulness with the simulated judge.
 * BM25 alone is measured against the hybrid as baseline; the gate catches a deliberately weaker
 * retriever (BM25 on the question's first three words only).
 */
class ClapnqRagIT {

  private static final String KEY = "sk-keel-ragtest0123456789abcdefghijklmnopqrstuvw";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ITEMS = 60;
  /** Reciprocal rank fusion's constant, as commonly used for hybrid search. */
  private static final int RRF_K = 60;

  static {
    // MiniLM's tokenizer unpacks native files; keep them in the build folder.
    System.setProperty("DJL_CACHE_DIR", Path.of("target", "djl").toAbsolutePath().toString());
  }

  @TempDir
  Path tmp;
  private KeelServer keel;
  private IndexSearcher searcher;
  private final List<String> passages = new ArrayList<>();
  private final StandardAnalyzer analyzer = new StandardAnalyzer();
  private final List<float[]> vectors = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    keel = KeelServer.start(new ServerSettings("127.0.0.1", 0, tmp.resolve("data"), null, null,
        Map.of("KEEL_MASTER_KEY", KEY)));
    StringBuilder dataset = new StringBuilder();
    try (var in = new BufferedReader(new InputStreamReader(KeelServer.class.getResourceAsStream(
        "/dev/keel/simulator/answer-book-clapnq.jsonl"), StandardCharsets.UTF_8))) {
      for (String line : in.lines().toList()) {
        JsonNode b = JSON.readTree(line);
        passages.add(b.path("contexts").path(0).asText());
        if (passages.size() <= ITEMS) {
          ObjectNode item = JSON.createObjectNode().put("id", b.path("id").asText())
              .put("input", b.path("question").asText())
              .put("expected_output", b.path("answer").asText());
          item.putArray("contexts").add(b.path("contexts").path(0).asText());
          dataset.append(item).append('\n');
        }
      }
    }
    Files.writeString(tmp.resolve("clapnq.jsonl"), dataset);
    searcher = index(passages);
    passages.forEach(p -> vectors.add(MiniLm.embed(p)));
  }

  @AfterEach
  void stop() {
    keel.close();
  }

  @Test
  void bm25Retriever_passesTheGate_weakerRetrieverIsCaught() throws Exception {
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
        settings("hybrid", rag(Retriever.HYBRID, Integer.MAX_VALUE)));
    Evaluation.Outcome bm25 = Evaluation.run(EvalFile.read(tmp.resolve("bm25.yaml")),
        settings("bm25", rag(Retriever.BM25, Integer.MAX_VALUE)));
    Evaluation.Outcome weak = Evaluation.run(EvalFile.read(tmp.resolve("weak.yaml")),
        settings("weak", rag(Retriever.BM25, 3)));

    System.out.println(Reports.table(good.gate()) + "\n" + Reports.table(bm25.gate()) + "\n"
        + Reports.table(weak.gate()));
    assertThat(bm25.gate().aggregates().get(0).mean()).isGreaterThan(0.6);
    assertThat(bm25.gate().comparison().regressed()).as("BM25 alone is worse than hybrid")
        .isTrue();
    assertThat(good.gate().passed()).as(Reports.table(good.gate())).isTrue();
    assertThat(weak.gate().passed()).as(Reports.table(weak.gate())).isFalse();
    assertThat(weak.gate().comparison().deltas().get(0).regression()).isTrue();
    assertThat(good.gate().results().info().judgeModel()).isEqualTo("gpt-4o-mini (simulated)");
    JsonNode trace = get("/api/public/traces/" + good.gate().results().items().get(0)
        .traceId());
    assertThat(trace.path("observations").findValuesAsText("type"))
        .contains("RETRIEVER", "GENERATION");
  }

  private Evaluation.Settings settings(String out, Task task) {
    return new Evaluation.Settings(URI.create("http://127.0.0.1:" + keel.port()), KEY,
        tmp.resolve(out), false, null, task);
  }

  private enum Retriever { BM25, HYBRID }

  /** Retrieves the top 3 passages for the question's first {@code words} terms. */
  private Task rag(Retriever retriever, int words) {
    return (item, traceId) -> {
      String question = item.input().asText();
      Instant start = Instant.now();
      List<Integer> ranked = retriever == Retriever.BM25 ? bm25(question, 3, words)
          : hybrid(question, 3);
      List<String> contexts = ranked.stream().map(passages::get).toList();
      traceRetrieval(traceId, question, contexts, start);
      long t0 = System.nanoTime();
      JsonNode answer = chat(traceId, question, contexts);
      return new TaskOutput(answer.path("choices").path(0).path("message").path("content")
          .asText(), answer, null, contexts, null, (System.nanoTime() - t0) / 1_000_000,
          traceId, null);
    };
  }

  /** Reciprocal rank fusion of the BM25 and MiniLM rankings (top 20 of each). */
  private List<Integer> hybrid(String question, int k) {
    Map<Integer, Double> fused = new java.util.HashMap<>();
    List<Integer> lexical = bm25(question, 20, Integer.MAX_VALUE);
    List<Integer> dense = dense(question, 20);
    for (int r = 0; r < lexical.size(); r++) {
      fused.merge(lexical.get(r), 1.0 / (RRF_K + r + 1), Double::sum);
    }
    for (int r = 0; r < dense.size(); r++) {
      fused.merge(dense.get(r), 1.0 / (RRF_K + r + 1), Double::sum);
    }
    return fused.entrySet().stream()
        .sorted(Map.Entry.<Integer, Double>comparingByValue().reversed()).limit(k)
        .map(Map.Entry::getKey).toList();
  }

  private List<Integer> dense(String question, int k) {
    float[] q = MiniLm.embed(question);
    return java.util.stream.IntStream.range(0, vectors.size()).boxed()
        .sorted((a, b) -> Double.compare(MiniLm.dot(q, vectors.get(b)),
            MiniLm.dot(q, vectors.get(a)))).limit(k).toList();
  }

  private List<Integer> bm25(String question, int k, int words) {
    BooleanQuery.Builder q = new BooleanQuery.Builder();
    try (TokenStream ts = analyzer.tokenStream("text", question)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      for (int n = 0; n < words && ts.incrementToken(); n++) {
        q.add(new TermQuery(new Term("text", term.toString())), BooleanClause.Occur.SHOULD);
      }
      ts.end();
      List<Integer> out = new ArrayList<>();
      for (ScoreDoc d : searcher.search(q.build(), k).scoreDocs) {
        out.add(d.doc);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void traceRetrieval(String traceId, String question, List<String> contexts,
      Instant start) {
    ObjectNode body = JSON.createObjectNode().put("id", UUID.randomUUID().toString())
        .put("traceId", traceId).put("name", "bm25").put("startTime", start.toString())
        .put("endTime", Instant.now().toString()).put("input", question);
    body.set("output", JSON.valueToTree(contexts));
    ObjectNode event = JSON.createObjectNode().put("id", UUID.randomUUID().toString())
        .put("type", "retriever-create").put("timestamp", Instant.now().toString());
    event.set("body", body);
    ObjectNode batch = JSON.createObjectNode();
    batch.putArray("batch").add(event);
    send("/api/public/ingestion", batch, Map.of());
  }

  private JsonNode chat(String traceId, String question, List<String> contexts) {
    ObjectNode b = JSON.createObjectNode().put("model", "gpt-4o");
    b.putArray("messages").add(JSON.createObjectNode().put("role", "system")
        .put("content", "Answer from these passages:\n" + String.join("\n\n", contexts)))
        .add(JSON.createObjectNode().put("role", "user").put("content", question));
    return send("/v1/chat/completions", b, Map.of("x-keel-trace-id", traceId));
  }

  private JsonNode send(String path, JsonNode body, Map<String, String> headers) {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + keel.port()
        + path)).header("authorization", "Bearer " + KEY)
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    headers.forEach(r::header);
    try {
      HttpResponse<String> res = HttpClient.newHttpClient().send(r.build(),
          HttpResponse.BodyHandlers.ofString());
      if (res.statusCode() >= 300) {
        throw new IllegalStateException(path + " answered " + res.statusCode());
      }
      return JSON.readTree(res.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private JsonNode get(String path) throws Exception {
    for (int i = 0; i < 50; i++) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + keel.port() + path))
          .header("authorization", "Bearer " + KEY).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode t = JSON.readTree(r.body());
      if (t.path("observations").size() >= 2) {
        return t;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("trace " + path + " never had two observations");
  }

  private IndexSearcher index(List<String> texts) throws IOException {
    ByteBuffersDirectory dir = new ByteBuffersDirectory();
    try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(analyzer))) {
      for (String text : texts) {
        Document d = new Document();
        d.add(new TextField("text", text, Field.Store.YES));
        w.addDocument(d);
      }
    }
    return new IndexSearcher(DirectoryReader.open(dir));
  }
}
