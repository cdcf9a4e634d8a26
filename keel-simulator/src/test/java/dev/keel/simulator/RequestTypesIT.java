package dev.keel.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bodies with fields of the wrong type get a 400 in the provider's shape, not an answer. */
class RequestTypesIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Simulator sim;

  @BeforeAll
  static void start() {
    sim = Simulator.start(SimulatorConfig.anyPort());
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @Test
  void openAi_temperatureString_400InOpenAiShape() throws Exception {
    HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"gpt-4o\","
        + "\"temperature\":\"hot\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode err = JSON.readTree(r.body()).path("error");
    assertThat(err.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(err.path("message").asText())
        .isEqualTo("invalid type for 'temperature': expected a number, got \"hot\"");
  }

  @Test
  void openAi_contentNumber_400NamingTheMessage() throws Exception {
    HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"gpt-4o\","
        + "\"messages\":[{\"role\":\"user\",\"content\":5}]}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).path("error").path("message").asText())
        .startsWith("invalid type for 'messages[0].content'");
  }

  @Test
  void openAi_streamString_400() throws Exception {
    HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"gpt-4o\","
        + "\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(r.statusCode()).isEqualTo(400);
  }

  @Test
  void anthropic_textBlockWithoutStringText_400InAnthropicShape() throws Exception {
    HttpResponse<String> r = post("/v1/messages", "{\"model\":\"claude-3-5-haiku-20241022\","
        + "\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
        + "\"text\":7}]}]}");

    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode root = JSON.readTree(r.body());
    assertThat(root.path("type").asText()).isEqualTo("error");
    assertThat(root.path("error").path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(root.path("error").path("message").asText())
        .isEqualTo("invalid type for 'messages[0].content[0].text': expected a string, got 7");
  }

  @Test
  void anthropic_maxTokensString_400() throws Exception {
    HttpResponse<String> r = post("/v1/messages", "{\"model\":\"claude-3-5-haiku-20241022\","
        + "\"max_tokens\":\"16\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).path("error").path("message").asText())
        .contains("'max_tokens'");
  }

  @Test
  void wellTypedBodies_stillAnswered() throws Exception {
    assertThat(post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"temperature\":0.2,"
        + "\"messages\":[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}")
        .statusCode()).isEqualTo(200);
    assertThat(post("/v1/messages", "{\"model\":\"claude-3-5-haiku-20241022\",\"max_tokens\":8,"
        + "\"system\":[{\"type\":\"text\",\"text\":\"s\"}],"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode()).isEqualTo(200);
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
        .header("authorization", "Bearer sk-test").header("x-api-key", "sk-test")
        .header("anthropic-version", "2023-06-01").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
  }
}
