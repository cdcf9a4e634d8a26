package dev.keel.examples.clapnq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.eval.TaskOutput;
import dev.keel.eval.run.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * The document Q&A pipeline, traced in Keel: retrieve passages for the question, record the
 * retrieval as a {@code RETRIEVER} observation (question in, passages out) through Keel's
 * ingestion API, then ask the model through Keel's gateway with the passages in the system
 * message, in the same trace ({@code x-keel-trace-id}), so the trace shows both steps, the
 * answer, its tokens and its cost.
 */
public final class TracedRag {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final String TRACE_NAME = "clapnq-rag";

  private final String base;
  private final String key;
  private final String model;
  private final String retrieverName;
  private final Function<String, List<String>> search;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();

  /**
   * @param keel the running Keel (for example {@code http://127.0.0.1:4000})
   * @param key a Keel key that may call the gateway and ingestion (the master key)
   * @param model the model that answers
   * @param retrieverName the RETRIEVER observation's name ({@code hybrid}, {@code bm25}...)
   * @param search the passages for a question, best first
   */
  public TracedRag(URI keel, String key, String model, String retrieverName,
      Function<String, List<String>> search) {
    this.base = keel.toString().replaceAll("/+$", "");
    this.key = Objects.requireNonNull(key, "key");
    this.model = Objects.requireNonNull(model, "model");
    this.retrieverName = retrieverName;
    this.search = search;
  }

  /** What the pipeline produced for one question. */
  public record Answer(String text, List<String> contexts, String traceId, JsonNode completion,
      long latencyMs) {}

  /**
   * Answers {@code question} in trace {@code traceId}; with null, in a new trace named
   * {@value #TRACE_NAME}.
   */
  public Answer answer(String question, String traceId) {
    boolean own = traceId == null;
    String id = own ? UUID.randomUUID().toString() : traceId;
    long t0 = System.nanoTime();
    Instant start = Instant.now();
    List<String> contexts = search.apply(question);
    traceRetrieval(id, question, contexts, start);
    JsonNode completion = chat(id, question, contexts, own);
    String text = completion.path("choices").path(0).path("message").path("content").asText();
    return new Answer(text, contexts, id, completion, (System.nanoTime() - t0) / 1_000_000);
  }

  /** The pipeline as an evaluation task, so {@code Evaluation.run} can score it from Java. */
  public Task task() {
    return (item, traceId) -> {
      Answer a = answer(item.input().asText(), traceId);
      return new TaskOutput(a.text(), a.completion(), null, a.contexts(), null, a.latencyMs(),
          a.traceId(), null);
    };
  }

  private void traceRetrieval(String traceId, String question, List<String> contexts,
      Instant start) {
    ObjectNode body = JSON.createObjectNode().put("id", UUID.randomUUID().toString())
        .put("traceId", traceId).put("name", retrieverName).put("startTime", start.toString())
        .put("endTime", Instant.now().toString()).put("input", question);
    body.set("output", JSON.valueToTree(contexts));
    ObjectNode event = JSON.createObjectNode().put("id", UUID.randomUUID().toString())
        .put("type", "retriever-create").put("timestamp", Instant.now().toString());
    event.set("body", body);
    ObjectNode batch = JSON.createObjectNode();
    batch.putArray("batch").add(event);
    post("/api/public/ingestion", batch, Map.of());
  }

  private JsonNode chat(String traceId, String question, List<String> contexts, boolean own) {
    ObjectNode b = JSON.createObjectNode().put("model", model);
    b.putArray("messages").add(JSON.createObjectNode().put("role", "system")
        .put("content", "Answer from these passages:\n" + String.join("\n\n", contexts)))
        .add(JSON.createObjectNode().put("role", "user").put("content", question));
    // A trace someone else started (an evaluation run) keeps the name it gave.
    return post("/v1/chat/completions", b, own
        ? Map.of("x-keel-trace-id", traceId, "x-keel-trace-name", TRACE_NAME)
        : Map.of("x-keel-trace-id", traceId));
  }

  private JsonNode post(String path, JsonNode body, Map<String, String> headers) {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(120))
        .header("authorization", "Bearer " + key)
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    headers.forEach(r::header);
    try {
      HttpResponse<String> res = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
      if (res.statusCode() >= 300) {
        throw new IllegalStateException("Keel answered " + res.statusCode() + " to " + path
            + ": " + abbreviate(res.body()));
      }
      return JSON.readTree(res.body());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach Keel at " + base + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
