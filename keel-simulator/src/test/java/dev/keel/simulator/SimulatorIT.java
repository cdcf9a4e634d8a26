package dev.keel.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up, scenario files and turn-indexed tool scripts over raw HTTP. */
class SimulatorIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void start_portZero_bindsLoopbackFreePort() {
    try (Simulator sim = Simulator.start(SimulatorConfig.anyPort())) {

      assertThat(sim.port()).isPositive();
      assertThat(sim.baseUrl()).isEqualTo("http://127.0.0.1:" + sim.port());
      assertThat(Simulator.models()).contains(new SimulatedModel("gpt-4o", "openai"),
          new SimulatedModel("text-embedding-3-small", "embedding"),
          new SimulatedModel("claude-sonnet-4-20250514", "anthropic")).hasSize(12);
    }
  }

  @Test
  void scenario_faultRateOne_everyRequestFailsUnlessDirectiveOverrides(@TempDir Path dir)
      throws Exception {
    Path file = Files.writeString(dir.resolve("s.yaml"),
        "seed: 1\nmodels:\n  gpt-4o:\n    faults: {\"503\": 1.0}\n");

    try (Simulator sim = Simulator.start(SimulatorConfig.anyPort().withScenario(file))) {
      HttpResponse<String> failed = postOpenAi(sim, "[{\"role\":\"user\",\"content\":\"hi\"}]");
      HttpResponse<String> overridden = postOpenAi(sim,
          "[{\"role\":\"user\",\"content\":\"hi [[sim fault=none]]\"}]");

      assertThat(failed.statusCode()).isEqualTo(503);
      assertThat(overridden.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void toolsScript_turnIndexed_thenFinalAnswer() throws Exception {
    String directive = "Go [[sim tools=a({\\\"x\\\":1}),b({})]]";
    String call = "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"call_1\",\"type\":"
        + "\"function\",\"function\":{\"name\":\"a\",\"arguments\":\"{}\"}}]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"ok\"}";
    String user = "{\"role\":\"user\",\"content\":\"" + directive + "\"}";

    try (Simulator sim = Simulator.start(SimulatorConfig.anyPort())) {
      JsonNode t0 = message(postOpenAi(sim, "[" + user + "]"));
      JsonNode t1 = message(postOpenAi(sim, "[" + user + "," + call + "]"));
      JsonNode t2 = message(postOpenAi(sim, "[" + user + "," + call + "," + call + "]"));

      assertThat(t0.at("/tool_calls/0/function/name").asText()).isEqualTo("a");
      assertThat(t0.at("/tool_calls/0/function/arguments").asText()).isEqualTo("{\"x\":1}");
      assertThat(t1.at("/tool_calls/0/function/name").asText()).isEqualTo("b");
      assertThat(t2.path("tool_calls").isMissingNode()).isTrue();
      assertThat(t2.path("content").asText()).startsWith("Simulated answer from gpt-4o");
    }
  }

  @Test
  void loop_keepsCallingFirstTool() throws Exception {
    String user = "{\"role\":\"user\",\"content\":\"Go [[sim tools=a,b loop=true]]\"}";
    String call = "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"call_1\",\"type\":"
        + "\"function\",\"function\":{\"name\":\"a\",\"arguments\":\"{}\"}}]}";

    try (Simulator sim = Simulator.start(SimulatorConfig.anyPort())) {
      JsonNode later = message(postOpenAi(sim, "[" + user + "," + call + "," + call + "]"));

      assertThat(later.at("/tool_calls/0/function/name").asText()).isEqualTo("a");
    }
  }

  private static JsonNode message(HttpResponse<String> res) throws Exception {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return Json.MAPPER.readTree(res.body()).at("/choices/0/message");
  }

  private static HttpResponse<String> postOpenAi(Simulator sim, String messages)
      throws Exception {
    String body = "{\"model\":\"gpt-4o\",\"messages\":" + messages + "}";
    return HTTP.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/chat/completions"))
        .header("authorization", "Bearer k").POST(HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }
}
