package dev.keel.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Quality profiles over the built-in answer book, and the judge profile, over raw HTTP. */
class AnswerBookIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void aModelAnswersAboutItsQualityShareRightAndTheSameWayEveryTime(@TempDir Path dir)
      throws Exception {
    Path scenario = Files.writeString(dir.resolve("s.yaml"),
        "models:\n  gpt-4o:\n    quality: 0.9\n  gpt-4o-mini:\n    quality: 0.4\n");
    AnswerBook book = AnswerBook.builtIn();
    assertThat(book.size()).isEqualTo(300);
    try (Simulator sim = Simulator.start(SimulatorConfig.anyPort().withScenario(scenario))) {
      int strong = 0;
      int weak = 0;
      for (int i = 0; i < 100; i++) {
        AnswerBook.Entry e = book.get(i);
        String prompt = "Answer from the passages.\nQuestion: " + e.question();
        String a = answer(sim, "gpt-4o", prompt);
        strong += a.equals(e.answer()) ? 1 : 0;
        weak += answer(sim, "gpt-4o-mini", prompt).equals(e.answer()) ? 1 : 0;
        if (i < 5) {
          assertThat(answer(sim, "gpt-4o", prompt)).isEqualTo(a);
        }
      }
      assertThat(strong).isBetween(80, 98);
      assertThat(weak).isBetween(28, 52);
      // A question outside the book keeps the plain simulated answer.
      assertThat(answer(sim, "gpt-4o", "What is the airspeed of a swallow?"))
          .startsWith("Simulated answer from gpt-4o");
    }
  }

  @Test
  void aCustomAnswerBookIsUsedAndABrokenOneNamesTheLine(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("book.jsonl"),
        "{\"question\": \"Who wrote Hamlet?\", \"answer\": \"Shakespeare wrote Hamlet.\"}\n"
        + "{\"question\": \"What is H2O?\", \"answer\": \"Water.\"}\n");
    Path scenario = Files.writeString(dir.resolve("s.yaml"), "models:\n  gpt-4o:\n"
        + "    quality: 1.0\n");
    try (Simulator sim = Simulator.start(SimulatorConfig.anyPort().withScenario(scenario)
        .withAnswers(file))) {
      assertThat(answer(sim, "gpt-4o", "who wrote  HAMLET?")).isEqualTo(
          "Shakespeare wrote Hamlet.");
    }
    Path broken = Files.writeString(dir.resolve("bad.jsonl"),
        "{\"question\": \"a\", \"answer\": \"b\"}\n{\"question\": 1}\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> AnswerBook.load(broken))
        .hasMessageContaining("line 2");
  }

  @Test
  void judgePromptsGetSchemaVerdictsFromOverlapWithScoreLogprobs() throws Exception {
    try (Simulator sim = Simulator.start(SimulatorConfig.anyPort())) {
      String prompt = "Judge each statement.\n<context>\nAlbert Einstein was born in Germany. "
          + "He developed relativity.\n</context>\n<candidate>\n1. Albert Einstein was born in "
          + "Germany.\n2. Albert Einstein was born on 20 March 1879.\n</candidate>\n";
      String schema = "{\"type\":\"object\",\"properties\":{\"verdicts\":{\"type\":\"array\","
          + "\"items\":{\"type\":\"object\",\"properties\":{\"statement\":{\"type\":\"string\"},"
          + "\"reason\":{\"type\":\"string\"},\"verdict\":{\"type\":\"integer\"}}}}},"
          + "\"required\":[\"verdicts\"]}";
      JsonNode v = Json.MAPPER.readTree(judge(sim, prompt, schema, false).path("choices")
          .path(0).path("message").path("content").asText());
      assertThat(v.path("verdicts")).hasSize(2);
      assertThat(v.path("verdicts").path(0).path("verdict").asInt()).isEqualTo(1);
      assertThat(v.path("verdicts").path(1).path("verdict").asInt()).isEqualTo(0);

      String grade = "Grade 1 to 5.\n<question>\nWhere is the Eiffel Tower?\n</question>\n"
          + "<reference>\nThe Eiffel Tower is in Paris.\n</reference>\n<candidate>\nThe Eiffel "
          + "Tower is in Paris.\n</candidate>\n";
      String scoreSchema = "{\"type\":\"object\",\"properties\":{\"reason\":{\"type\":"
          + "\"string\"},\"score\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":5}},"
          + "\"required\":[\"reason\",\"score\"]}";
      JsonNode res = judge(sim, grade, scoreSchema, true);
      JsonNode choice = res.path("choices").path(0);
      JsonNode score = Json.MAPPER.readTree(choice.path("message").path("content").asText());
      assertThat(score.path("score").asInt()).isEqualTo(5);
      JsonNode token = null;
      for (JsonNode t : choice.path("logprobs").path("content")) {
        if (t.path("token").asText().strip().equals("5")) {
          token = t;
        }
      }
      assertThat(token).isNotNull();
      assertThat(token.path("top_logprobs").path(1).path("token").asText().strip())
          .isEqualTo("4");
      assertThat(token.path("top_logprobs").path(2).path("token").asText().strip())
          .isEqualTo("6");
      assertThat(Math.exp(token.path("logprob").asDouble())).isCloseTo(0.8, within(0.21));
    }
  }

  private static String answer(Simulator sim, String model, String prompt) throws Exception {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("model", model);
    ObjectNode m = body.putArray("messages").addObject();
    m.put("role", "user");
    m.put("content", prompt);
    return post(sim, body).path("choices").path(0).path("message").path("content").asText();
  }

  private static JsonNode judge(Simulator sim, String prompt, String schema, boolean logprobs)
      throws Exception {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("model", "gpt-4o");
    ObjectNode m = body.putArray("messages").addObject();
    m.put("role", "user");
    m.put("content", prompt);
    ObjectNode rf = body.putObject("response_format");
    rf.put("type", "json_schema");
    rf.putObject("json_schema").put("name", "v").set("schema", Json.MAPPER.readTree(schema));
    if (logprobs) {
      body.put("logprobs", true);
      body.put("top_logprobs", 3);
    }
    return post(sim, body);
  }

  private static JsonNode post(Simulator sim, ObjectNode body) throws Exception {
    HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(
            URI.create(sim.baseUrl() + "/v1/chat/completions"))
        .header("authorization", "Bearer sk-test").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return Json.MAPPER.readTree(res.body());
  }
}
