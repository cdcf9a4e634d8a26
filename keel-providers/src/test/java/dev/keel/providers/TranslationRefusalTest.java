package dev.keel.providers;

import static dev.keel.providers.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Fields one format has and the other cannot honour: refused with a 400 naming the field, its
 * value and why, or left out when the request says drop_params; never dropped silently.
 */
class TranslationRefusalTest {

  private static final String OPENAI_HEAD =
      "{\"model\": \"claude-3-5-haiku-20241022\", \"messages\": [";
  private static final String USER = "{\"role\": \"user\", \"content\": \"Hi\"}";
  private static final String ANTHROPIC_HEAD =
      "{\"model\": \"gpt-4o\", \"max_tokens\": 50, \"messages\": [";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "\"n\": 2|n|n=2 is not supported by anthropic models; Anthropic answers with one message;"
          + " send n=1",
      "\"logprobs\": true|logprobs|logprobs=true is not supported by anthropic models; the "
          + "Messages API returns no log probabilities",
      "\"top_logprobs\": 3|top_logprobs|top_logprobs=3 is not supported",
      "\"temperature\": 1.5|temperature|temperature=1.5 is not supported by anthropic models; "
          + "Anthropic's temperature is between 0 and 1",
      "\"presence_penalty\": 0.5|presence_penalty|presence_penalty=0.5 is not supported",
      "\"frequency_penalty\": -1|frequency_penalty|frequency_penalty=-1 is not supported",
      "\"seed\": 7|seed|seed=7 is not supported by anthropic models; the Messages API cannot "
          + "seed sampling",
      "\"logit_bias\": {\"50256\": -100}|logit_bias|logit_bias={\"50256\":-100} is not supported",
      "\"store\": true|store|store=true is not supported",
      "\"metadata\": {\"app\": \"x\"}|metadata|metadata={\"app\":\"x\"} is not supported",
      "\"reasoning_effort\": \"low\"|reasoning_effort|reasoning_effort=\"low\" is not supported "
          + "by anthropic models; Anthropic's extended thinking takes a token budget",
      "\"modalities\": [\"text\", \"audio\"]|modalities|modalities=[\"text\",\"audio\"] is not "
          + "supported",
      "\"service_tier\": \"flex\"|service_tier|service_tier=\"flex\" is not supported",
      "\"functions\": [{\"name\": \"f\"}]|functions|functions=[{\"name\":\"f\"}] is not "
          + "supported by anthropic models; send tools instead",
      "\"response_format\": {\"type\": \"grammar\"}|response_format.type|response_format.type="
          + "\"grammar\" is not supported",
      "\"stream_options\": {\"include_obfuscation\": true}|stream_options.include_obfuscation|"
          + "stream_options.include_obfuscation=true is not supported",
      "\"prediction\": {\"type\": \"content\", \"content\": \"x\"}|prediction|prediction="
          + "{\"type\":\"content\",\"content\":\"x\"} is not supported by anthropic models; Keel "
          + "does not translate this field to the Anthropic Messages API"})
  void openAiToAnthropic_fieldWithoutTwin_400NamingFieldValueAndWhy(String field, String param,
      String message) {
    ObjectNode req = obj(OPENAI_HEAD + USER + "], " + field + "}");

    KeelException e = refusal(() -> Translation.openAiToAnthropicRequest(req));

    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(e.param()).isEqualTo(param);
    assertThat(e.getMessage()).startsWith(message).contains("drop_params");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{\"role\": \"user\", \"name\": \"ann\", \"content\": \"Hi\"}|messages[0].name",
      "{\"role\": \"user\", \"content\": [{\"type\": \"input_audio\", \"input_audio\": "
          + "{\"data\": \"AAA\", \"format\": \"wav\"}}]}|messages[0].content[0].type",
      "{\"role\": \"user\", \"content\": [{\"type\": \"file\", \"file\": {\"file_id\": \"f\"}}]}"
          + "|messages[0].content[0].type",
      "{\"role\": \"user\", \"content\": [{\"type\": \"image_url\", \"image_url\": "
          + "{\"url\": \"https://x/a.png\", \"detail\": \"low\"}}]}"
          + "|messages[0].content[0].image_url.detail",
      "{\"role\": \"system\", \"content\": [{\"type\": \"image_url\", \"image_url\": "
          + "{\"url\": \"https://x/a.png\"}}]}|messages[0].content[0].type",
      "{\"role\": \"function\", \"name\": \"f\", \"content\": \"42\"}|messages[0].role",
      "{\"role\": \"assistant\", \"content\": \"x\", \"refusal\": \"no\"}|messages[0].refusal",
      "{\"role\": \"tool\", \"tool_call_id\": \"c\", \"content\": [{\"type\": \"image_url\", "
          + "\"image_url\": {\"url\": \"https://x/a.png\"}}]}|messages[0].content[0].type"})
  void openAiToAnthropic_messagePartWithoutTwin_400NamingItsPath(String message, String param) {
    ObjectNode req = obj(OPENAI_HEAD + message + ", " + USER + "]}");

    KeelException e = refusal(() -> Translation.openAiToAnthropicRequest(req));

    assertThat(e.param()).isEqualTo(param);
    assertThat(e.getMessage()).startsWith(param + "=").contains("is not supported by anthropic");
  }

  @Test
  void openAiToAnthropic_offValues_accepted() {
    ObjectNode req = obj(OPENAI_HEAD + USER + "], \"n\": 1, \"logprobs\": false, "
        + "\"presence_penalty\": 0, \"frequency_penalty\": 0, \"store\": false, "
        + "\"metadata\": {}, \"modalities\": [\"text\"], \"temperature\": 1, "
        + "\"response_format\": {\"type\": \"text\"}, \"service_tier\": \"default\", "
        + "\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\", "
        + "\"image_url\": {\"url\": \"https://x/a.png\", \"detail\": \"auto\"}}]}]}");

    ObjectNode out = Translation.openAiToAnthropicRequest(req);

    assertThat(out.get("temperature").asDouble()).isEqualTo(1.0);
    assertThat(out.get("service_tier").asText()).isEqualTo("standard_only");
    assertThat(out.has("n")).isFalse();
  }

  @Test
  void strictTools_carriedOverBothWays() {
    ObjectNode openAi = obj(OPENAI_HEAD + USER + "], \"tools\": [{\"type\": \"function\", "
        + "\"function\": {\"name\": \"f\", \"strict\": true, \"parameters\": "
        + "{\"type\": \"object\"}}}]}");
    ObjectNode anthropic = obj(ANTHROPIC_HEAD + USER + "], \"tools\": [{\"name\": \"f\", "
        + "\"strict\": true, \"input_schema\": {\"type\": \"object\"}}]}");

    assertThat(Translation.openAiToAnthropicRequest(openAi).get("tools"))
        .isEqualTo(obj("{\"t\": [{\"name\": \"f\", \"input_schema\": {\"type\": \"object\"}, "
            + "\"strict\": true}]}").get("t"));
    assertThat(Translation.anthropicToOpenAiRequest(anthropic).path("tools").get(0)
        .path("function").get("strict").asBoolean()).isTrue();
  }

  @Test
  void openAiToAnthropic_jsonObjectFormat_forcedObjectTool() {
    ObjectNode req = obj(OPENAI_HEAD + USER + "], "
        + "\"response_format\": {\"type\": \"json_object\"}}");

    ObjectNode out = Translation.openAiToAnthropicRequest(req);

    assertThat(Translation.structuredOutputTool(req)).isEqualTo("json_object");
    assertThat(out.path("tools").get(0).get("name").asText()).isEqualTo("json_object");
    assertThat(out.path("tools").get(0).get("input_schema"))
        .isEqualTo(obj("{\"type\": \"object\", \"properties\": {}}"));
    assertThat(out.get("tool_choice"))
        .isEqualTo(obj("{\"type\": \"tool\", \"name\": \"json_object\"}"));
  }

  @Test
  void openAiToAnthropic_dropParams_unsupportedLeftOutTheRestKept() {
    ObjectNode req = obj(OPENAI_HEAD + "{\"role\": \"user\", \"name\": \"ann\", \"content\": "
        + "[{\"type\": \"text\", \"text\": \"Hi\"}, {\"type\": \"input_audio\", \"input_audio\":"
        + " {\"data\": \"AAA\", \"format\": \"wav\"}}]}], \"n\": 3, \"seed\": 1, "
        + "\"temperature\": 1.8, \"top_p\": 0.5, \"logprobs\": true, \"drop_params\": true}");

    ObjectNode out = Translation.openAiToAnthropicRequest(req);

    assertThat(out).isEqualTo(obj("""
        {"model": "claude-3-5-haiku-20241022",
         "messages": [{"role": "user", "content": [{"type": "text", "text": "Hi"}]}],
         "max_tokens": 4096, "top_p": 0.5}"""));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "\"top_k\": 5|top_k|top_k=5 is not supported by openai models; OpenAI chat completions has"
          + " no top_k; use top_p",
      "\"thinking\": {\"type\": \"enabled\", \"budget_tokens\": 2048}|thinking|thinking={\"type"
          + "\":\"enabled\",\"budget_tokens\":2048} is not supported by openai models; OpenAI "
          + "reasoning models take reasoning_effort",
      "\"stop_sequences\": [\"a\", \"b\", \"c\", \"d\", \"e\"]|stop_sequences|stop_sequences="
          + "[\"a\",\"b\",\"c\",\"d\",\"e\"] is not supported by openai models; OpenAI takes at "
          + "most 4 stop sequences",
      "\"metadata\": {\"user_id\": \"u\", \"tenant\": \"t\"}|metadata.tenant|metadata.tenant="
          + "\"t\" is not supported",
      "\"service_tier\": \"priority\"|service_tier|service_tier=\"priority\" is not supported",
      "\"container\": \"c1\"|container|container=\"c1\" is not supported by openai models; Keel"
          + " does not translate this field to OpenAI chat completions",
      "\"tools\": [{\"type\": \"web_search_20250305\", \"name\": \"web_search\"}]|tools[0].type|"
          + "tools[0].type=\"web_search_20250305\" is not supported by openai models; server "
          + "tools run on Anthropic's side"})
  void anthropicToOpenAi_fieldWithoutTwin_400NamingFieldValueAndWhy(String field, String param,
      String message) {
    ObjectNode req = obj(ANTHROPIC_HEAD + USER + "], " + field + "}");

    KeelException e = refusal(() -> Translation.anthropicToOpenAiRequest(req));

    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(e.param()).isEqualTo(param);
    assertThat(e.getMessage()).startsWith(message).contains("drop_params");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{\"type\": \"document\", \"source\": {\"type\": \"base64\", \"media_type\": "
          + "\"application/pdf\", \"data\": \"AA\"}}|messages[0].content[0].type",
      "{\"type\": \"image\", \"source\": {\"type\": \"file\", \"file_id\": \"f\"}}"
          + "|messages[0].content[0].source.type",
      "{\"type\": \"tool_result\", \"tool_use_id\": \"t\", \"is_error\": true, \"content\": "
          + "\"boom\"}|messages[0].content[0].is_error",
      "{\"type\": \"tool_result\", \"tool_use_id\": \"t\", \"content\": [{\"type\": \"image\", "
          + "\"source\": {\"type\": \"url\", \"url\": \"https://x/a.png\"}}]}"
          + "|messages[0].content[0].content[0].type",
      "{\"type\": \"search_result\", \"source\": \"s\", \"title\": \"t\", \"content\": []}"
          + "|messages[0].content[0].type"})
  void anthropicToOpenAi_blockWithoutTwin_400NamingItsPath(String block, String param) {
    ObjectNode req = obj(ANTHROPIC_HEAD + "{\"role\": \"user\", \"content\": [" + block
        + "]}]}");

    KeelException e = refusal(() -> Translation.anthropicToOpenAiRequest(req));

    assertThat(e.param()).isEqualTo(param);
    assertThat(e.getMessage()).startsWith(param + "=").contains("is not supported by openai");
  }

  @Test
  void anthropicToOpenAi_thinkingDisabledAndThinkingHistory_accepted() {
    ObjectNode req = obj(ANTHROPIC_HEAD + USER + ", {\"role\": \"assistant\", \"content\": ["
        + "{\"type\": \"thinking\", \"thinking\": \"hmm\", \"signature\": \"s\"},"
        + "{\"type\": \"text\", \"text\": \"Hello\"}]}, " + USER + "], "
        + "\"thinking\": {\"type\": \"disabled\"}, \"service_tier\": \"standard_only\"}");

    ObjectNode out = Translation.anthropicToOpenAiRequest(req);

    assertThat(out.get("messages").get(1))
        .isEqualTo(obj("{\"role\": \"assistant\", \"content\": \"Hello\"}"));
    assertThat(out.get("service_tier").asText()).isEqualTo("default");
    assertThat(out.has("thinking")).isFalse();
  }

  @Test
  void anthropicToOpenAi_dropParams_unsupportedLeftOut() {
    ObjectNode req = obj(ANTHROPIC_HEAD + USER + "], \"top_k\": 5, \"thinking\": "
        + "{\"type\": \"enabled\", \"budget_tokens\": 2048}, \"temperature\": 0.3, "
        + "\"tools\": [{\"type\": \"web_search_20250305\", \"name\": \"web_search\"}, "
        + "{\"name\": \"f\", \"input_schema\": {\"type\": \"object\"}}], \"drop_params\": true}");

    ObjectNode out = Translation.anthropicToOpenAiRequest(req);

    assertThat(out).isEqualTo(obj("""
        {"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}],
         "max_tokens": 50, "temperature": 0.3, "tools": [{"type": "function",
         "function": {"name": "f", "parameters": {"type": "object"}}}]}"""));
  }

  @Test
  void translate_explicitDropFlag_winsOverTheBody() {
    ObjectNode req = obj(OPENAI_HEAD + USER + "], \"seed\": 1}");

    ObjectNode out = Translation.openAiToAnthropicRequest(req, true);

    assertThat(out.has("seed")).isFalse();
    assertThat(refusal(() -> Translation.openAiToAnthropicRequest(
        obj(OPENAI_HEAD + USER + "], \"seed\": 1, \"drop_params\": true}"), false)).param())
        .isEqualTo("seed");
  }

  private static KeelException refusal(Runnable translation) {
    KeelException e = catchThrowableOfType(KeelException.class, translation::run);
    assertThat(e).as("the translation was not refused").isNotNull();
    return e;
  }
}
