package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON Schema enforcement on answers: validation, repair, and what the trace records. */
class StructuredOutputIT {

  private static final String FORMAT = """
      {"type": "json_schema", "json_schema": {"name": "person", "strict": true, "schema":
        {"type": "object", "properties": {"name": {"type": "string"},
         "age": {"type": "integer"}}, "required": ["name", "age"],
         "additionalProperties": false}}}""";

  @TempDir
  static Path dir;
  private static KeelFixture keel;

  @BeforeAll
  static void start() {
    keel = KeelFixture.start(dir);
  }

  @AfterAll
  static void stop() {
    keel.close();
  }

  @Test
  void conformingAnswer_oneAttemptMarkedValid() {
    String traceId = UUID.randomUUID().toString();

    HttpResponse<String> r = keel.chat(request("gpt-4o-mini", null, "Who is Ada?", false),
        "x-keel-trace-id", traceId);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-keel-attempts")).isEmpty();
    JsonNode answer = KeelFixture.json(content(r));
    assertThat(answer.path("name").isTextual()).isTrue();
    assertThat(answer.path("age").isIntegralNumber()).isTrue();
    Observation o = keel.onlyObservation(traceId);
    assertThat(o.metadata()).contains("\"schema_valid\":true");
    assertThat(o.level()).isEqualTo(Level.DEFAULT);
  }

  @Test
  void invalidThenRepaired_twoGenerationsAndTheCostOfBoth() {
    String traceId = UUID.randomUUID().toString();

    HttpResponse<String> r = keel.chat(request("gpt-4o-mini", null,
        "Who is Ada? [[sim json=invalid usage prompt=20 completion=5]]", false),
        "x-keel-trace-id", traceId);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-keel-attempts")).contains("2");
    assertThat(KeelFixture.json(content(r)).has("age")).isTrue();
    List<Observation> obs = keel.observations(traceId);
    assertThat(obs).hasSize(2);
    Observation first = earliest(obs);
    Observation repair = obs.get(0) == first ? obs.get(1) : obs.get(0);
    assertThat(first.level()).isEqualTo(Level.WARNING);
    assertThat(first.metadata()).contains("\"schema_valid\":false");
    assertThat(first.statusMessage()).contains("did not match the response_format schema");
    assertThat(repair.metadata()).contains("\"schema_valid\":true")
        .contains("\"repair_attempt\":1");
    assertThat(repair.input()).contains("did not match the required JSON schema");
    BigDecimal both = first.cost().total().add(repair.cost().total());
    assertThat(new BigDecimal(r.headers().firstValue("x-keel-cost-usd").orElseThrow()))
        .isEqualByComparingTo(both);
    assertThat(keel.trace(traceId).totalCost()).isEqualByComparingTo(both);
  }

  @Test
  void neverConforming_502AfterTheRepairsWithEveryAttemptTraced() {
    String traceId = UUID.randomUUID().toString();

    HttpResponse<String> r = keel.chat(request("gpt-4o-mini", "[[sim json=invalid]]",
        "Who is Ada?", false), "x-keel-trace-id", traceId);

    assertThat(r.statusCode()).isEqualTo(502);
    JsonNode err = KeelFixture.json(r).path("error");
    assertThat(err.path("code").asText()).isEqualTo("output_schema_mismatch");
    assertThat(err.path("param").asText()).isEqualTo("response_format");
    assertThat(err.path("message").asText()).contains("after 2 attempt(s)");
    assertThat(keel.observations(traceId)).hasSize(2)
        .allSatisfy(o -> assertThat(o.metadata()).contains("\"schema_valid\":false"));
    BigDecimal billed = keel.observations(traceId).stream().map(o -> o.cost().total())
        .reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(billed).isPositive();
    assertThat(new BigDecimal(r.headers().firstValue("x-keel-cost-usd").orElseThrow()))
        .isEqualByComparingTo(billed);
    assertThat(r.headers().firstValue("x-keel-attempts")).contains("2");
  }

  @Test
  void claudeModel_schemaAnswerComesBackAsJsonContent() {
    String traceId = UUID.randomUUID().toString();

    HttpResponse<String> r = keel.chat(request("claude-3-5-haiku-20241022", null, "Who is Ada?",
        false), "x-keel-trace-id", traceId);

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode answer = KeelFixture.json(content(r));
    assertThat(answer.has("name")).isTrue();
    assertThat(keel.onlyObservation(traceId).metadata()).contains("\"schema_valid\":true");
  }

  @Test
  void stream_nonConformingAnswerIsRecordedNotRepaired() {
    String traceId = UUID.randomUUID().toString();

    HttpResponse<String> r = keel.chat(request("gpt-4o", null, "Who? [[sim json=invalid]]",
        true), "x-keel-trace-id", traceId);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("[DONE]");
    Observation o = keel.onlyObservation(traceId);
    assertThat(o.metadata()).contains("\"schema_valid\":false");
    assertThat(o.level()).isEqualTo(Level.WARNING);
  }

  @Test
  void toolCallTurn_isNotCheckedAgainstTheSchema() {
    String traceId = UUID.randomUUID().toString();
    String body = "{\"model\":\"gpt-4o-mini\",\"response_format\":" + FORMAT + ","
        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup\","
        + "\"parameters\":{\"type\":\"object\",\"properties\":{\"q\":{\"type\":"
        + "\"string\"}}}}}],\"tool_choice\":{\"type\":\"function\",\"function\":"
        + "{\"name\":\"lookup\"}},\"messages\":[{\"role\":\"user\",\"content\":\"Who?\"}]}";

    HttpResponse<String> r = keel.chat(body, "x-keel-trace-id", traceId);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(KeelFixture.json(r).path("choices").path(0).path("message").path("tool_calls"))
        .isNotEmpty();
    assertThat(r.headers().firstValue("x-keel-attempts")).isEmpty();
    assertThat(keel.onlyObservation(traceId).metadata()).doesNotContain("schema_valid");
  }

  @Test
  void invalidSchema_400NamingResponseFormat() {
    String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":"
        + "\"hi\"}],\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":"
        + "\"x\",\"schema\":{\"type\":\"strnig\"}}}}";

    HttpResponse<String> r = keel.chat(body);

    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode err = KeelFixture.json(r).path("error");
    assertThat(err.path("param").asText()).isEqualTo("response_format");
    assertThat(err.path("message").asText()).contains("not valid JSON Schema 2020-12");
  }

  @Test
  void unknownResponseFormatType_400() {
    String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":"
        + "\"hi\"}],\"response_format\":{\"type\":\"yaml\"}}";

    HttpResponse<String> r = keel.chat(body);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(KeelFixture.json(r).path("error").path("message").asText()).contains("yaml");
  }

  private static Observation earliest(List<Observation> obs) {
    return obs.get(0).startTime().isBefore(obs.get(1).startTime()) ? obs.get(0) : obs.get(1);
  }

  private static String content(HttpResponse<String> r) {
    return KeelFixture.json(r).path("choices").path(0).path("message").path("content").asText();
  }

  private static String request(String model, String system, String user, boolean stream) {
    String sys = system == null ? "" : "{\"role\":\"system\",\"content\":\"" + system + "\"},";
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"response_format\":"
        + FORMAT + ",\"messages\":[" + sys + "{\"role\":\"user\",\"content\":\"" + user
        + "\"}]}";
  }
}
