package dev.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.keel.eval.TaskOutput;
import dev.keel.eval.run.EvalFile;
import dev.keel.eval.run.Evaluation;
import dev.keel.eval.run.Task;
import dev.keel.server.KeelServer;
import dev.keel.server.ServerSettings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks that do not go through the gateway (the user's HTTP endpoint, a Java function in a
 * JUnit test): the runner records a trace for each item in Keel and attaches the scores to it.
 */
class EvaluationTasksIT {

  private static final String KEY = "sk-keel-evaltasks123456789abcdefghijklmnopqrstu";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;
  private KeelServer keel;
  private HttpServer app;

  @BeforeEach
  void start() throws Exception {
    keel = KeelServer.start(new ServerSettings("127.0.0.1", 0, tmp.resolve("data"), null, null,
        Map.of("KEEL_MASTER_KEY", KEY)));
    Files.writeString(tmp.resolve("qa.jsonl"), """
        {"id": "a", "input": {"q": "2+2"}, "expected_output": "4", "contexts": ["two and two"]}
        {"id": "b", "input": {"q": "3+3"}, "expected_output": "6", "contexts": ["three, three"]}
        {"id": "c", "input": {"q": "4+4"}, "expected_output": "8", "contexts": ["four and four"]}
        """);
    app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    app.createContext("/answer", ex -> {
      JsonNode body = JSON.readTree(ex.getRequestBody());
      String q = body.path("input").path("q").asText();
      int sum = Integer.parseInt(q.substring(0, 1)) + Integer.parseInt(q.substring(2));
      // The endpoint gets the trace id Keel will use, and answers wrong for item c.
      String answer = body.path("id").asText().equals("c") ? "9" : String.valueOf(sum);
      var reply = JSON.createObjectNode().put("trace", ex.getRequestHeaders()
          .getFirst("x-keel-trace-id"));
      reply.putArray("choices").addObject().put("text", answer);
      // Item a retrieves its gold passage; the others retrieve something unrelated.
      reply.putArray("retrieved").addObject().put("text", body.path("id").asText().equals("a")
          ? "two and two" : "zebras graze on the savanna");
      byte[] out = reply.toString().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("content-type", "application/json");
      ex.sendResponseHeaders(200, out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    app.start();
  }

  @AfterEach
  void stop() {
    app.stop(0);
    keel.close();
  }

  @Test
  void httpEndpointTask_answerByPointer_tracedAndScoredInKeel() throws Exception {
    Path file = Files.writeString(tmp.resolve("http.yaml"), """
        name: endpoint
        dataset: qa.jsonl
        task: {url: "http://127.0.0.1:%d/answer", answer: "$.choices[0].text",
               contexts: "$.retrieved"}
        scorers: [{name: exact_match, min_mean: 0.9}, nonllm_context_recall]
        """.formatted(app.getAddress().getPort()));

    Evaluation.Outcome o = Evaluation.run(EvalFile.read(file), settings("http", null));

    assertThat(o.gate().passed()).isFalse();
    assertThat(o.gate().aggregates().get(0).mean()).isEqualTo(2.0 / 3);
    assertThat(o.gate().results().byId().get("a").scores().get("nonllm_context_recall")
        .value()).isEqualTo(1.0);
    assertThat(o.gate().results().byId().get("b").scores().get("nonllm_context_recall")
        .value()).isZero();
    assertThat(o.gate().results().info().task()).startsWith("http http://127.0.0.1:");
    JsonNode trace = scoredTrace(o.gate().results().byId().get("c").traceId());
    assertThat(trace.path("tags").toString()).contains("keel-eval", "endpoint-");
    assertThat(trace.path("metadata").path("eval_item").asText()).isEqualTo("c");
    assertThat(trace.path("output").asText()).isEqualTo("9");
    assertThat(trace.path("scores").path(0).path("value").asDouble()).isZero();
  }

  @Test
  void javaTask_inAJUnitTest_gatePasses_andTracesRecorded() throws Exception {
    Path file = Files.writeString(tmp.resolve("java.yaml"), """
        name: java-fn
        dataset: qa.jsonl
        task: {model: unused-by-a-java-task}
        scorers: [{name: exact_match, min_mean: 1.0}]
        """);
    Task add = (item, traceId) -> {
      String q = item.input().path("q").asText();
      String sum = String.valueOf(Integer.parseInt(q.substring(0, 1))
          + Integer.parseInt(q.substring(2)));
      return new TaskOutput(sum, null, null, null, null, 1, null, null);
    };

    Evaluation.Outcome o = Evaluation.run(EvalFile.read(file), settings("java", add));

    assertThat(o.gate().passed()).isTrue();
    assertThat(o.gate().results().info().task()).isEqualTo("java");
    JsonNode trace = scoredTrace(o.gate().results().byId().get("a").traceId());
    assertThat(trace.path("scores").path(0).path("name").asText()).isEqualTo("exact_match");
    assertThat(trace.path("scores").path(0).path("value").asDouble()).isEqualTo(1.0);
  }

  @Test
  void gatewayTask_itemTools_sentAndCallsScoredWithBfclAnswers() throws Exception {
    Path example = Path.of("..", "examples", "eval", "bfcl-tools", "bfcl-simple.jsonl");
    var first = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(
        Files.readAllLines(example).get(0));
    var right = first.deepCopy();
    right.put("id", "right");
    var message = (com.fasterxml.jackson.databind.node.ObjectNode) right.path("input").get(0);
    message.put("content", "[[sim tools=calculate_triangle_area({\"base\": 10, \"height\": 5})]]"
        + " " + message.path("content").asText());
    Files.writeString(tmp.resolve("tools.jsonl"), first + "\n" + right + "\n");
    Path file = Files.writeString(tmp.resolve("tools.yaml"), """
        dataset: tools.jsonl
        task: {model: gpt-4o}
        scorers: [tool_call_match]
        """);

    Evaluation.Outcome o = Evaluation.run(EvalFile.read(file), settings("tools", null));

    var byId = o.gate().results().byId();
    assertThat(byId.get("right").scores().get("tool_call_match").value()).isEqualTo(1.0);
    assertThat(byId.get("simple_python_0").scores().get("tool_call_match").value()).isZero();
    assertThat(byId.get("simple_python_0").scores().get("tool_call_match").reason())
        .contains("calculate_triangle_area.base");
  }

  private Evaluation.Settings settings(String out, Task task) {
    return new Evaluation.Settings(URI.create("http://127.0.0.1:" + keel.port()), KEY,
        tmp.resolve(out), false, null, task);
  }

  private JsonNode scoredTrace(String id) throws Exception {
    JsonNode t = null;
    for (int i = 0; i < 50; i++) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + keel.port() + "/api/public/traces/" + id))
          .header("authorization", "Bearer " + KEY).build(),
          HttpResponse.BodyHandlers.ofString());
      t = JSON.readTree(r.body());
      if (t.path("scores").size() > 0) {
        return t;
      }
      Thread.sleep(100);
    }
    return t;
  }
}
