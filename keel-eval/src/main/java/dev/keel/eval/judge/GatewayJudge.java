package dev.keel.eval.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import dev.keel.eval.Judge;
import dev.keel.eval.score.JsonScorers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A judge answering through Keel's {@code /v1/chat/completions}: temperature 0, the answer
 * constrained by {@code response_format: json_schema}, log-probabilities when asked. Each call
 * is traced by Keel like any other. Transport errors, 408, 429 and 5xx are retried with backoff
 * (any other status fails at once with the error's message, the upstream's when it failed); an
 * answer that is not JSON matching the schema is asked again with the problem named; after
 * {@value #ATTEMPTS} attempts the call fails with {@link Judge.JudgeException} and the scorer
 * marks the item undetermined with that reason.
 *
 * <p>When the answer comes from Keel's simulator (its fingerprint {@code fp_keelsim}, or an
 * {@code x-keel-model} naming the simulator) {@link #model()} says "(simulated)", so reports
 * name a simulated judge as such.
 */
public final class GatewayJudge implements Judge {

  static final int ATTEMPTS = 3;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Transport transport;
  private final String model;
  private final AtomicBoolean simulated = new AtomicBoolean();

  public GatewayJudge(URI keelBaseUrl, String key, String model) {
    this(keelBaseUrl, key, model, Duration.ofSeconds(60));
  }

  public GatewayJudge(URI keelBaseUrl, String key, String model, Duration timeout) {
    this(new HttpTransport(keelBaseUrl, key, timeout), model);
  }

  /**
   * A judge whose requests go through {@code transport}: Keel itself uses this to ask its
   * gateway in process (online evaluation), without an HTTP round trip or a key.
   */
  public GatewayJudge(Transport transport, String model) {
    this.transport = Objects.requireNonNull(transport, "transport");
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("judge model must not be blank: '" + model + "'");
    }
    this.model = model;
  }

  @Override
  public String model() {
    return simulated.get() ? model + " (simulated)" : model;
  }

  /** True once an answer showed the judge is Keel's simulator. */
  public boolean simulated() {
    return simulated.get();
  }

  @Override
  public JudgeReply ask(String prompt, JsonNode schema, boolean logprobs) {
    Schema compiled = JsonScorers.compile(schema);
    String problem = null;
    String lastReason = "no attempt";
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      String text = problem == null ? prompt : prompt + "\n\nYour previous answer was rejected: "
          + problem + ". Answer again with only JSON matching the schema.";
      Reply res;
      try {
        res = transport.send(request(text, schema, logprobs));
      } catch (IOException e) {
        lastReason = "judge call failed: " + e.getClass().getSimpleName() + " " + e.getMessage();
        backoff(attempt);
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new JudgeException("interrupted while asking the judge", e);
      }
      if (res.statusCode() == 408 || res.statusCode() == 429 || res.statusCode() >= 500) {
        lastReason = "judge answered HTTP " + res.statusCode() + ": " + errorText(res.body());
        backoff(attempt);
        continue;
      }
      if (res.statusCode() != 200) {
        // Any other 4xx (an unknown model, a bad request, a refused key) cannot succeed when
        // asked again: it fails at once with what the gateway or the upstream said.
        throw new JudgeException("judge answered HTTP " + res.statusCode() + ": "
            + errorText(res.body()), null);
      }
      if (res.keelModel() != null && res.keelModel().contains("simulat")) {
        simulated.set(true);
      }
      try {
        JsonNode body = MAPPER.readTree(res.body());
        if ("fp_keelsim".equals(body.path("system_fingerprint").asText())) {
          simulated.set(true);
        }
        JsonNode choice = body.path("choices").path(0);
        String content = choice.path("message").path("content").asText(null);
        String why = JsonScorers.violations(compiled, content);
        if (why == null) {
          JsonNode lp = choice.path("logprobs");
          return new JudgeReply(MAPPER.readTree(content),
              logprobs && lp.isObject() ? lp : null);
        }
        problem = why;
        lastReason = "judge answer did not match the schema: " + why;
      } catch (IOException e) {
        problem = "the response was not JSON";
        lastReason = "judge response was not a chat completion: " + e.getMessage();
      }
    }
    throw new JudgeException(lastReason + " (after " + ATTEMPTS + " attempts)", null);
  }

  private ObjectNode request(String prompt, JsonNode schema, boolean logprobs) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("model", model);
    body.put("temperature", 0);
    ObjectNode msg = body.putArray("messages").addObject();
    msg.put("role", "user");
    msg.put("content", prompt);
    ObjectNode rf = body.putObject("response_format");
    rf.put("type", "json_schema");
    ObjectNode js = rf.putObject("json_schema");
    js.put("name", "verdict");
    js.put("strict", true);
    js.set("schema", schema);
    if (logprobs) {
      body.put("logprobs", true);
      body.put("top_logprobs", 5);
      // Wanted only where available: a Claude judge has none, and without drop_params Keel
      // refuses a request it cannot translate whole.
      body.put("drop_params", true);
    }
    return body;
  }

  private static void backoff(int attempt) {
    try {
      Thread.sleep(200L << attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The error's message when the body is Keel's (OpenAI's) error shape, else the body. */
  private static String errorText(String body) {
    if (body != null && body.startsWith("{")) {
      try {
        JsonNode m = MAPPER.readTree(body).path("error").path("message");
        if (m.isTextual()) {
          return abbreviate(m.asText());
        }
      } catch (IOException e) {
        // not JSON after all: the body itself, below
      }
    }
    return abbreviate(body);
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  /** Sends one chat completions request body to Keel's gateway and returns its answer. */
  @FunctionalInterface
  public interface Transport {
    Reply send(ObjectNode body) throws IOException, InterruptedException;
  }

  /**
   * The gateway's answer.
   *
   * @param keelModel the {@code x-keel-model} header (the deployment that answered), or null
   */
  public record Reply(int statusCode, String body, String keelModel) {}

  /** Over HTTP to a running Keel's {@code /v1/chat/completions}, with a key. */
  private static final class HttpTransport implements Transport {
    private final URI endpoint;
    private final String key;
    private final Duration timeout;
    private final HttpClient http;

    HttpTransport(URI keelBaseUrl, String key, Duration timeout) {
      Objects.requireNonNull(keelBaseUrl, "keelBaseUrl");
      this.key = Objects.requireNonNull(key, "key");
      String base = keelBaseUrl.toString().replaceAll("/+$", "");
      this.endpoint = URI.create(base + "/v1/chat/completions");
      this.timeout = timeout;
      this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public Reply send(ObjectNode body) throws IOException, InterruptedException {
      HttpRequest req = HttpRequest.newBuilder(endpoint).timeout(timeout)
          .header("authorization", "Bearer " + key)
          .header("content-type", "application/json")
          .header("x-keel-trace-name", "judge")
          .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
      HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
      return new Reply(res.statusCode(), res.body(),
          res.headers().firstValue("x-keel-model").orElse(null));
    }
  }
}
