package dev.keel.examples.clapnq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The app over HTTP, in the shape {@code keel eval run}'s url task speaks: {@code POST /answer}
 * with {@code {"input": QUESTION}} (or {@code question}) and, optionally, the header
 * {@code x-keel-trace-id} naming the trace to record into; the answer is {@code {"answer",
 * "contexts", "traceId"}}. A bad body is a 400 saying what is wrong, a failed call to Keel a 502
 * with the reason.
 */
public final class RagServer {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 1 << 20;

  private RagServer() {}

  /** Starts answering on 127.0.0.1:{@code port} (0: any free port); stop it when done. */
  public static HttpServer start(TracedRag rag, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/answer", ex -> handle(rag, ex));
    server.start();
    return server;
  }

  private static void handle(TracedRag rag, HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("POST")) {
        reply(ex, 405, error("POST a JSON object with input (the question)"));
        return;
      }
      byte[] raw = ex.getRequestBody().readNBytes(MAX_BODY + 1);
      String bad = raw.length > MAX_BODY ? "the body is larger than " + MAX_BODY + " bytes" : null;
      JsonNode body = null;
      if (bad == null) {
        try {
          body = JSON.readTree(raw);
        } catch (IOException e) {
          bad = "the body is not valid JSON: "
              + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
              ? j.getOriginalMessage() : e.getMessage());
        }
      }
      if (bad == null && (body == null || !body.isObject())) {
        bad = "the body must be a JSON object with input (the question)";
      }
      JsonNode q = bad != null ? null : body.has("input") ? body.get("input")
          : body.get("question");
      if (bad == null && (q == null || !q.isTextual() || q.asText().isBlank())) {
        bad = "input must be the question as a non-empty string";
      }
      if (bad != null) {
        reply(ex, 400, error(bad));
        return;
      }
      String traceId = ex.getRequestHeaders().getFirst("x-keel-trace-id");
      try {
        TracedRag.Answer a = rag.answer(q.asText(), traceId);
        ObjectNode out = JSON.createObjectNode().put("answer", a.text())
            .put("traceId", a.traceId());
        a.contexts().forEach(out.putArray("contexts")::add);
        reply(ex, 200, out);
      } catch (RuntimeException e) {
        reply(ex, 502, error(e.getMessage()));
      }
    }
  }

  private static ObjectNode error(String message) {
    return JSON.createObjectNode().put("error", message);
  }

  private static void reply(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("content-type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }
}
