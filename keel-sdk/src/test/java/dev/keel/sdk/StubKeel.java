package dev.keel.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A stand-in for Keel on 127.0.0.1: records every ingestion request, answers with scripted
 * statuses (then 207 with every event a success), and serves prompts from a map.
 */
final class StubKeel implements AutoCloseable {

  static final String PUBLIC_KEY = "pk-lf-test";
  static final String SECRET_KEY = "sk-lf-test";

  final List<JsonNode> batches = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  final List<String> promptQueries = new CopyOnWriteArrayList<>();
  final Queue<Integer> ingestionStatuses = new ConcurrentLinkedQueue<>();
  final Queue<Integer> promptStatuses = new ConcurrentLinkedQueue<>();
  final Map<String, String> prompts = new ConcurrentHashMap<>();
  final AtomicInteger ingestionRequests = new AtomicInteger();
  volatile String ingestionBody207;
  volatile CountDownLatch gate;
  private final HttpServer server;

  StubKeel() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/api/public/ingestion", this::ingest);
    server.createContext("/api/public/v2/prompts/", this::prompt);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** A builder aimed at this stub with keys set, no environment, and no shutdown hook. */
  KeelClientBuilder client() {
    return new KeelClientBuilder(Map.of()).baseUrl(baseUrl()).publicKey(PUBLIC_KEY)
        .secretKey(SECRET_KEY).shutdownHook(false).retryBaseDelay(Duration.ofMillis(10));
  }

  /** Every event of every batch received, in order. */
  List<JsonNode> events() {
    List<JsonNode> all = new ArrayList<>();
    batches.forEach(b -> b.path("batch").forEach(all::add));
    return all;
  }

  /** The received events of one type. */
  List<JsonNode> events(String type) {
    return events().stream().filter(e -> e.path("type").asText().equals(type)).toList();
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(5);
    }
  }

  private void ingest(HttpExchange exchange) throws IOException {
    ingestionRequests.incrementAndGet();
    byte[] body = exchange.getRequestBody().readAllBytes();
    batches.add(Json.MAPPER.readTree(body));
    authorizations.add(exchange.getRequestHeaders().getFirst("authorization"));
    CountDownLatch g = gate;
    if (g != null) {
      try {
        g.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Integer status = ingestionStatuses.poll();
    if (status != null) {
      exchange.getResponseHeaders().add("retry-after", "0");
      send(exchange, status, "{\"message\":\"scripted " + status + "\"}");
    } else {
      send(exchange, 207, ingestionBody207 != null ? ingestionBody207 : successes(body));
    }
  }

  private static String successes(byte[] body) throws IOException {
    StringBuilder out = new StringBuilder("{\"successes\":[");
    JsonNode batch = Json.MAPPER.readTree(body).path("batch");
    for (int i = 0; i < batch.size(); i++) {
      out.append(i == 0 ? "" : ",").append("{\"id\":\"")
          .append(batch.get(i).path("id").asText()).append("\",\"status\":201}");
    }
    return out.append("],\"errors\":[]}").toString();
  }

  private void prompt(HttpExchange exchange) throws IOException {
    String raw = exchange.getRequestURI().getRawPath();
    String query = exchange.getRequestURI().getRawQuery();
    String key = raw.substring("/api/public/v2/prompts/".length())
        + (query == null ? "" : "?" + query);
    promptQueries.add(key);
    Integer status = promptStatuses.poll();
    if (status != null) {
      send(exchange, status, "{\"message\":\"scripted " + status + "\"}");
      return;
    }
    String json = prompts.get(key);
    if (json == null) {
      send(exchange, 404, "{\"message\":\"Prompt not found: " + key + "\"}");
    } else {
      send(exchange, 200, json);
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("content-type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    CountDownLatch g = gate;
    if (g != null) {
      g.countDown();
    }
    server.stop(0);
  }
}
