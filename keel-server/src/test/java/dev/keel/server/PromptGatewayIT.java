package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.trace.Observation;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chat requests that name a registered prompt: rendering, config, and what the trace records. */
class PromptGatewayIT {

  @TempDir
  static Path dir;
  private static KeelFixture keel;

  @BeforeAll
  static void start() {
    keel = KeelFixture.start(dir);
    create("""
        {"name": "support", "type": "chat", "labels": ["production"],
         "prompt": [{"role": "system", "content": "You help {{product}} users in {{tone}} words."}],
         "config": {"model": "gpt-4o-mini", "temperature": 0.2}}""");
    create("""
        {"name": "support", "type": "chat", "labels": ["staging"],
         "prompt": [{"role": "system", "content": "V2 for {{product}} ({{tone}})."}],
         "config": {"model": "gpt-4o", "temperature": 0.7}}""");
    create("""
        {"name": "summary", "type": "text", "labels": ["production"],
         "prompt": "Summarise for {{audience}}.",
         "config": {"model": "claude-3-5-haiku-20241022", "max_tokens": 300,
           "json_schema": {"type": "object", "properties": {"summary": {"type": "string"}},
             "required": ["summary"]}}}""");
  }

  @AfterAll
  static void stop() {
    keel.close();
  }

  @Test
  void bodyPrompt_renderedAheadOfTheMessagesWithItsConfig_andTraced() {
    String traceId = UUID.randomUUID().toString();

    HttpResponse<String> r = keel.chat("""
        {"prompt": {"name": "support", "variables": {"product": "Keel", "tone": "few"}},
         "messages": [{"role": "user", "content": "How do I rotate a key?"}]}""",
        "x-keel-trace-id", traceId);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-keel-model")).contains("openai/gpt-4o-mini");
    Observation o = keel.onlyObservation(traceId);
    assertThat(o.promptName()).isEqualTo("support");
    assertThat(o.promptVersion()).isEqualTo(1);
    assertThat(o.input()).contains("You help Keel users in few words.")
        .contains("How do I rotate a key?");
    assertThat(o.input().indexOf("You help")).isLessThan(o.input().indexOf("rotate"));
    assertThat(o.modelParameters()).contains("\"temperature\":0.2");
    JsonNode api = KeelFixture.json(keel.get("/api/public/traces/" + traceId,
        "authorization", KeelFixture.bearerMaster()));
    assertThat(api.path("observations").path(0).path("promptName").asText())
        .isEqualTo("support");
    assertThat(api.path("observations").path(0).path("promptVersion").asInt()).isEqualTo(1);
  }

  @Test
  void requestFieldsWinOverTheConfig() {
    String traceId = UUID.randomUUID().toString();

    HttpResponse<String> r = keel.chat("""
        {"model": "gpt-4.1-nano", "temperature": 1.0,
         "prompt": {"name": "support", "variables": {"product": "Keel", "tone": "few"}},
         "messages": [{"role": "user", "content": "hi"}]}""", "x-keel-trace-id", traceId);

    assertThat(r.statusCode()).isEqualTo(200);
    Observation o = keel.onlyObservation(traceId);
    assertThat(o.model()).isEqualTo("gpt-4.1-nano");
    assertThat(o.modelParameters()).contains("\"temperature\":1.0");
  }

  @Test
  void headers_selectByLabelOrVersion() {
    String byLabel = UUID.randomUUID().toString();
    String byVersion = UUID.randomUUID().toString();
    String body = """
        {"prompt": {"variables": {"product": "Keel", "tone": "plain"}},
         "messages": [{"role": "user", "content": "hi"}]}""";

    keel.chat(body.replace("\"prompt\": {", "\"prompt\": {\"name\": \"support\", "),
        "x-keel-trace-id", byLabel, "x-keel-prompt", "support", "x-keel-prompt-label",
        "staging");
    HttpResponse<String> r = keel.chat(body.replace("\"prompt\": {\"variables\"",
        "\"prompt\": {\"name\": \"support\", \"version\": 1, \"variables\""),
        "x-keel-trace-id", byVersion);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(keel.onlyObservation(byVersion).promptVersion()).isEqualTo(1);
  }

  @Test
  void headerPrompt_withVersion() {
    String traceId = UUID.randomUUID().toString();

    HttpResponse<String> r = keel.chat("""
        {"prompt": {"variables": {"product": "Keel", "tone": "plain"}},
         "messages": [{"role": "user", "content": "hi"}]}""", "x-keel-trace-id", traceId,
        "x-keel-prompt", "support", "x-keel-prompt-version", "2");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Observation o = keel.onlyObservation(traceId);
    assertThat(o.promptVersion()).isEqualTo(2);
    assertThat(o.input()).contains("V2 for Keel (plain).");
    assertThat(o.model()).isEqualTo("gpt-4o");
  }

  @Test
  void missingVariables_400NamingEveryOne() {
    HttpResponse<String> r = keel.chat("""
        {"prompt": {"name": "support"}, "messages": [{"role": "user", "content": "hi"}]}""");

    assertThat(r.statusCode()).isEqualTo(400);
    String message = KeelFixture.json(r).path("error").path("message").asText();
    assertThat(message).contains("product").contains("tone");
  }

  @Test
  void unknownPromptOrVersion_404() {
    HttpResponse<String> unknown = keel.chat("""
        {"prompt": {"name": "nope"}, "messages": [{"role": "user", "content": "hi"}]}""");
    HttpResponse<String> badVersion = keel.chat("""
        {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}""",
        "x-keel-prompt", "support", "x-keel-prompt-version", "99");

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(badVersion.statusCode()).isEqualTo(404);
  }

  @Test
  void malformedPromptField_400() {
    HttpResponse<String> r = keel.chat("""
        {"model": "gpt-4o", "prompt": {"name": 5}, "messages": [{"role": "user",
         "content": "hi"}]}""");
    HttpResponse<String> badHeader = keel.chat("""
        {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}""",
        "x-keel-prompt", "support", "x-keel-prompt-version", "two");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(badHeader.statusCode()).isEqualTo(400);
    assertThat(KeelFixture.json(badHeader).path("error").path("message").asText())
        .contains("x-keel-prompt-version");
  }

  @Test
  void promptNamedByHeaderAndBody_400NamingBothUnlessTheyAgree() {
    String body = """
        {"prompt": {"name": "support", "version": 1,
         "variables": {"product": "Keel", "tone": "plain"}},
         "messages": [{"role": "user", "content": "hi"}]}""";
    String agreeing = UUID.randomUUID().toString();

    HttpResponse<String> otherVersion = keel.chat(body, "x-keel-prompt", "support",
        "x-keel-prompt-version", "2");
    HttpResponse<String> otherName = keel.chat(body, "x-keel-prompt", "billing");
    HttpResponse<String> same = keel.chat(body, "x-keel-trace-id", agreeing,
        "x-keel-prompt", "support", "x-keel-prompt-version", "1");

    assertThat(otherVersion.statusCode()).isEqualTo(400);
    assertThat(KeelFixture.json(otherVersion).path("error").path("message").asText())
        .contains("x-keel-prompt headers name 'support' version 2")
        .contains("body's prompt field names 'support' version 1");
    assertThat(otherName.statusCode()).isEqualTo(400);
    assertThat(KeelFixture.json(otherName).path("error").path("message").asText())
        .contains("'billing'").contains("'support' version 1");
    assertThat(same.statusCode()).as(same.body()).isEqualTo(200);
    assertThat(keel.onlyObservation(agreeing).promptVersion()).isEqualTo(1);
  }

  @Test
  void anthropicTextPrompt_becomesTheSystemPrompt() {
    String traceId = UUID.randomUUID().toString();

    HttpResponse<String> r = keel.post("/v1/messages", """
        {"max_tokens": 100, "prompt": {"name": "summary", "variables": {"audience": "ops"}},
         "messages": [{"role": "user", "content": "Long text here."}]}""",
        "x-api-key", KeelFixture.MASTER_KEY, "content-type", "application/json",
        "x-keel-trace-id", traceId);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Observation o = keel.onlyObservation(traceId);
    assertThat(o.model()).isEqualTo("claude-3-5-haiku-20241022");
    assertThat(o.input()).contains("\"role\":\"system\"").contains("Summarise for ops.");
    assertThat(o.promptName()).isEqualTo("summary");
  }

  @Test
  void openAiTextPromptWithSchemaConfig_answerCheckedAgainstTheSchema() {
    String traceId = UUID.randomUUID().toString();

    HttpResponse<String> r = keel.chat("""
        {"prompt": {"name": "summary", "variables": {"audience": "ops"}},
         "messages": [{"role": "user", "content": "Long text here."}]}""",
        "x-keel-trace-id", traceId);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String content = KeelFixture.json(r).path("choices").path(0).path("message")
        .path("content").asText();
    assertThat(KeelFixture.json(content).has("summary")).isTrue();
    assertThat(keel.onlyObservation(traceId).metadata()).contains("\"schema_valid\":true");
  }

  @Test
  void report_perVersionCountsCostAndSchemaFailures() {
    keel.chat("{\"prompt\": {\"name\": \"summary\", \"variables\": {\"audience\": \"ops\"}},"
        + " \"messages\": [{\"role\": \"user\", \"content\": \"Text [[sim json=invalid]]\"}]}");
    keel.chat("{\"prompt\": {\"name\": \"support\", \"version\": 2, \"variables\": "
        + "{\"product\": \"Keel\", \"tone\": \"few\"}}, \"messages\": [{\"role\": \"user\", "
        + "\"content\": \"hi\"}]}");
    keel.server.flushTraces();

    JsonNode summary = KeelFixture.json(keel.get("/api/keel/reports/prompts/summary",
        "authorization", KeelFixture.bearerMaster()));
    JsonNode support = KeelFixture.json(keel.get("/api/keel/reports/prompts/support",
        "authorization", KeelFixture.bearerMaster()));
    HttpResponse<String> notMaster = keel.get("/api/keel/reports/prompts/summary",
        "authorization", KeelFixture.basicPair());

    JsonNode v1 = summary.path("versions").path(0);
    assertThat(v1.path("version").asInt()).isEqualTo(1);
    assertThat(v1.path("schemaFailed").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(v1.path("schemaFailureRate").asDouble()).isEqualTo(
        v1.path("schemaFailed").asDouble() / v1.path("schemaChecked").asDouble());
    assertThat(v1.path("costUsd").decimalValue()).isPositive();
    assertThat(support.path("versions")).extracting(v -> v.path("version").asInt())
        .contains(2);
    assertThat(notMaster.statusCode()).isIn(401, 403);
  }

  @Test
  void report_promptNameWithAFolder() {
    create("""
        {"name": "team/greeting", "type": "text", "labels": ["production"],
         "prompt": "Hello {{who}}.", "config": {"model": "gpt-4o-mini"}}""");
    keel.chat("{\"prompt\": {\"name\": \"team/greeting\", \"variables\": {\"who\": "
        + "\"Ada\"}}, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
    keel.server.flushTraces();

    HttpResponse<String> r = keel.get("/api/keel/reports/prompts/team%2Fgreeting",
        "authorization", KeelFixture.bearerMaster());

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(KeelFixture.json(r).path("name").asText()).isEqualTo("team/greeting");
    assertThat(KeelFixture.json(r).path("versions").path(0).path("generations").asLong())
        .isEqualTo(1);
  }

  private static void create(String json) {
    HttpResponse<String> r = keel.post("/api/public/v2/prompts", json, "authorization",
        KeelFixture.basicPair(), "content-type", "application/json");
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
  }
}
