package dev.keel.agent.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.keel.agent.Agent;
import dev.keel.agent.AgentResult;
import dev.keel.agent.eval.AgentTask;
import dev.keel.sdk.KeelClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Runs the support agent against a Keel (its gateway and its traces), offline with Keel's
 * simulator or with real models:
 *
 * <pre>
 * SupportAgentMain ask "Where is order 1043?"     one run, printed as JSON
 * SupportAgentMain serve [PORT]                   POST /run for keel eval run (default 8090)
 * </pre>
 *
 * Environment: {@code KEEL_BASE_URL} (default {@code http://127.0.0.1:4000}),
 * {@code KEEL_MASTER_KEY} (or a virtual key) for the gateway, {@code KEEL_PUBLIC_KEY} and
 * {@code KEEL_SECRET_KEY} for traces, {@code KEEL_AGENT_MODEL} (default {@code gpt-4o-mini}).
 */
public final class SupportAgentMain {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SupportAgentMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1 || !(args[0].equals("ask") && args.length == 2
        || args[0].equals("serve") && args.length <= 2)) {
      System.err.println("usage: SupportAgentMain ask QUESTION | serve [PORT]");
      System.exit(2);
    }
    Map<String, String> env = System.getenv();
    URI keelUrl = URI.create(env.getOrDefault("KEEL_BASE_URL", "http://127.0.0.1:4000"));
    String key = env.get("KEEL_MASTER_KEY");
    if (key == null || key.isBlank()) {
      System.err.println("set KEEL_MASTER_KEY (or a virtual key) for Keel's gateway");
      System.exit(2);
    }
    KeelClient keel = KeelClient.builder().baseUrl(keelUrl.toString()).build();
    Orders orders = Orders.bundled();
    Agent agent = SupportAgent.create(keel, keelUrl, key,
        env.getOrDefault("KEEL_AGENT_MODEL", "gpt-4o-mini"), orders);
    if (args[0].equals("ask")) {
      AgentResult r = agent.run(args[1]);
      keel.close();
      System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
          AgentTask.summary(r)));
      return;
    }
    int port = args.length == 2 ? Integer.parseInt(args[1]) : 8090;
    HttpServer server = serve(agent, orders, port);
    System.err.println("support agent listening on http://127.0.0.1:"
        + server.getAddress().getPort() + "/run");
  }

  /**
   * Serves {@code POST /run}: {@code {"id", "input", "metadata"}} in (what {@code keel eval run}
   * sends to a {@code task.url}), the run's summary out, plus {@code outcome}: the state of the
   * order named by metadata {@code order_id} after the run, for goal checks.
   */
  public static HttpServer serve(Agent agent, Orders orders, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/run", exchange -> handle(exchange, agent, orders));
    server.start();
    return server;
  }

  private static void handle(HttpExchange exchange, Agent agent, Orders orders)
      throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("POST")) {
        reply(exchange, 405, error("use POST"));
        return;
      }
      JsonNode body;
      try {
        body = JSON.readTree(exchange.getRequestBody());
      } catch (IOException e) {
        reply(exchange, 400, error("body is not JSON"));
        return;
      }
      JsonNode input = body == null ? null : body.get("input");
      if (input == null || !input.isTextual()) {
        reply(exchange, 400, error("input must be a string"));
        return;
      }
      String traceId = exchange.getRequestHeaders().getFirst("x-keel-trace-id");
      ObjectNode out = AgentTask.summary(agent.run(input.asText(), traceId));
      JsonNode orderId = body.path("metadata").get("order_id");
      out.put("outcome", orderId == null ? null : orders.state(orderId.asText()));
      reply(exchange, 200, out);
    }
  }

  private static ObjectNode error(String message) {
    return JSON.createObjectNode().put("error", message);
  }

  private static void reply(HttpExchange exchange, int status, JsonNode body)
      throws IOException {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("content-type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(bytes);
    }
  }
}
