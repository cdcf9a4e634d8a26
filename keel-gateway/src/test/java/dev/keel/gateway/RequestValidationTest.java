package dev.keel.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestValidationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USER_HI = "{\"role\":\"user\",\"content\":\"hi\"}";

  // ---- OpenAI: a full valid request passes, and unknown fields are let through ----

  @Test
  void openAi_everyDocumentedFieldValid_passes() {
    ObjectNode body = openAi("\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
        + "{\"role\":\"developer\",\"content\":[{\"type\":\"text\",\"text\":\"x\"}]},"
        + "{\"role\":\"user\",\"name\":\"ann\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\"}},"
        + "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"AAA\",\"format\":\"wav\"}},"
        + "{\"type\":\"file\",\"file\":{\"file_id\":\"f1\"}}]},"
        + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\","
        + "\"type\":\"function\",\"function\":{\"name\":\"get\",\"arguments\":\"{}\"}}]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"42\"},"
        + "{\"role\":\"function\",\"name\":\"get\",\"content\":\"42\"},"
        + "{\"role\":\"assistant\",\"content\":\"done\"}],"
        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather-2\","
        + "\"description\":\"d\",\"parameters\":{\"type\":\"object\"}}}],"
        + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather-2\"}},"
        + "\"temperature\":2,\"top_p\":0.5,\"n\":1,\"max_tokens\":10,"
        + "\"max_completion_tokens\":20,\"stop\":[\"a\",\"b\",\"c\",\"d\"],\"stream\":true,"
        + "\"stream_options\":{\"include_usage\":true},\"response_format\":{\"type\":\"text\"},"
        + "\"seed\":-7,\"presence_penalty\":-2,\"frequency_penalty\":1.5,\"logprobs\":true,"
        + "\"top_logprobs\":20,\"user\":\"u\",\"parallel_tool_calls\":false,"
        + "\"reasoning_effort\":\"low\",\"some_vendor_field\":{\"x\":[1]}");

    assertThatCode(() -> RequestValidation.openAi(body)).doesNotThrowAnyException();
  }

  @Test
  void openAi_nullOptionalFields_countAsAbsent() {
    ObjectNode body = openAi("\"messages\":[" + USER_HI + "],\"temperature\":null,"
        + "\"stop\":null,\"tools\":null,\"tool_choice\":null,\"max_tokens\":null");

    assertThatCode(() -> RequestValidation.openAi(body)).doesNotThrowAnyException();
  }

  @Test
  void openAi_stopAsString_passes() {
    assertThatCode(() -> RequestValidation.openAi(openAi("\"messages\":[" + USER_HI
        + "],\"stop\":\"END\""))).doesNotThrowAnyException();
  }

  @Test
  void openAi_unknownContentPartType_letThrough() {
    assertThatCode(() -> RequestValidation.openAi(openAi("\"messages\":[{\"role\":\"user\","
        + "\"content\":[{\"type\":\"video_url\",\"video_url\":{\"url\":\"u\"}}]}]")))
        .doesNotThrowAnyException();
  }

  // ---- OpenAI: messages ----

  @Test
  void openAi_messagesMissing_400() {
    rejectsOpenAi("\"model\":\"m\"", "messages", "messages is required");
  }

  @Test
  void openAi_messagesNotArray_400() {
    rejectsOpenAi("\"messages\":\"hello\"", "messages",
        "messages must be an array, got: \"hello\"");
  }

  @Test
  void openAi_messagesEmpty_400() {
    rejectsOpenAi("\"messages\":[]", "messages", "messages must not be empty");
  }

  @Test
  void openAi_messageNotObject_400() {
    rejectsOpenAi("\"messages\":[" + USER_HI + ",7]", "messages[1]",
        "messages[1] must be an object with a role and content, got: 7");
  }

  @Test
  void openAi_roleMissing_400() {
    rejectsOpenAi("\"messages\":[{\"content\":\"hi\"}]", "messages[0].role",
        "messages[0].role is required");
  }

  @Test
  void openAi_unknownRole_400ListsTheRoles() {
    rejectsOpenAi("\"messages\":[{\"role\":\"bot\",\"content\":\"hi\"}]", "messages[0].role",
        "messages[0].role must be one of \"system\", \"developer\", \"user\", \"assistant\", "
            + "\"tool\", \"function\", got: \"bot\"");
  }

  @Test
  void openAi_contentNumber_400() {
    rejectsOpenAi("\"messages\":[" + USER_HI + "," + USER_HI
        + ",{\"role\":\"user\",\"content\":5}]", "messages[2].content",
        "messages[2].content must be a string or an array of content parts, got: 5");
  }

  @Test
  void openAi_userContentMissing_400() {
    rejectsOpenAi("\"messages\":[{\"role\":\"user\"}]", "messages[0].content",
        "messages[0].content is required");
  }

  @Test
  void openAi_assistantNullContentWithoutToolCalls_400() {
    rejectsOpenAi("\"messages\":[" + USER_HI + ",{\"role\":\"assistant\",\"content\":null}]",
        "messages[1].content", "messages[1].content is required");
  }

  @Test
  void openAi_nameNotString_400() {
    rejectsOpenAi("\"messages\":[{\"role\":\"user\",\"name\":3,\"content\":\"hi\"}]",
        "messages[0].name", "messages[0].name must be a string, got: 3");
  }

  @Test
  void openAi_partWithoutType_400() {
    rejectsOpenAi("\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]",
        "messages[0].content[0].type", "messages[0].content[0].type is required");
  }

  @Test
  void openAi_partNotObject_400() {
    rejectsOpenAi("\"messages\":[{\"role\":\"user\",\"content\":[\"hi\"]}]",
        "messages[0].content[0]", "messages[0].content[0] must be a content part");
  }

  @Test
  void openAi_textPartTextNotString_400() {
    rejectsOpenAi("\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
        + "\"text\":[1]}]}]", "messages[0].content[0].text",
        "messages[0].content[0].text must be a string, got: [1]");
  }

  @Test
  void openAi_imagePartWithoutUrl_400() {
    rejectsOpenAi("\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
        + "\"image_url\":{}}]}]", "messages[0].content[0].image_url.url",
        "messages[0].content[0].image_url.url is required");
  }

  @Test
  void openAi_imagePartUrlAsString_400() {
    rejectsOpenAi("\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
        + "\"image_url\":\"https://x\"}]}]", "messages[0].content[0].image_url",
        "messages[0].content[0].image_url must be an object, got: \"https://x\"");
  }

  @Test
  void openAi_audioPartWithoutFormat_400() {
    rejectsOpenAi("\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\","
        + "\"input_audio\":{\"data\":\"AAA\"}}]}]",
        "messages[0].content[0].input_audio.format",
        "messages[0].content[0].input_audio.format is required");
  }

  @Test
  void openAi_filePartNotObject_400() {
    rejectsOpenAi("\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"file\","
        + "\"file\":\"f1\"}]}]", "messages[0].content[0].file",
        "messages[0].content[0].file must be an object, got: \"f1\"");
  }

  @Test
  void openAi_toolMessageWithoutToolCallId_400() {
    rejectsOpenAi("\"messages\":[{\"role\":\"tool\",\"content\":\"42\"}]",
        "messages[0].tool_call_id", "messages[0].tool_call_id is required");
  }

  @Test
  void openAi_functionMessageWithoutName_400() {
    rejectsOpenAi("\"messages\":[{\"role\":\"function\",\"content\":\"42\"}]",
        "messages[0].name", "messages[0].name is required");
  }

  @Test
  void openAi_toolCallArgumentsObject_400() {
    rejectsOpenAi("\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\","
        + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":{}}}]}]",
        "messages[0].tool_calls[0].function.arguments",
        "messages[0].tool_calls[0].function.arguments must be a string, got: {}");
  }

  @Test
  void openAi_toolCallsNotArray_400() {
    rejectsOpenAi("\"messages\":[{\"role\":\"assistant\",\"tool_calls\":{}}]",
        "messages[0].tool_calls", "messages[0].tool_calls must be an array of tool calls");
  }

  // ---- OpenAI: tools and tool_choice ----

  @Test
  void openAi_toolsNotArray_400() {
    rejectsOpenAi(msg() + ",\"tools\":{}", "tools", "tools must be an array of tools, got: {}");
  }

  @Test
  void openAi_toolTypeNotFunction_400() {
    rejectsOpenAi(msg() + ",\"tools\":[{\"type\":\"fn\",\"function\":{\"name\":\"f\"}}]",
        "tools[0].type", "tools[0].type must be \"function\", got: \"fn\"");
  }

  @Test
  void openAi_toolWithoutFunction_400() {
    rejectsOpenAi(msg() + ",\"tools\":[{\"type\":\"function\"}]", "tools[0].function",
        "tools[0].function is required");
  }

  @Test
  void openAi_toolNameWithSpace_400() {
    rejectsOpenAi(msg() + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":"
        + "\"get weather\"}}]", "tools[0].function.name",
        "tools[0].function.name must be 1 to 64 letters, digits, underscores or dashes, "
            + "got: \"get weather\"");
  }

  @Test
  void openAi_toolName65Chars_400() {
    rejectsOpenAi(msg() + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\""
        + "a".repeat(65) + "\"}}]", "tools[0].function.name", "tools[0].function.name must be");
  }

  @Test
  void openAi_toolDescriptionNotString_400() {
    rejectsOpenAi(msg() + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\","
        + "\"description\":1}}]", "tools[0].function.description",
        "tools[0].function.description must be a string, got: 1");
  }

  @Test
  void openAi_toolParametersNotObject_400() {
    rejectsOpenAi(msg() + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\","
        + "\"parameters\":\"{}\"}}]", "tools[0].function.parameters",
        "tools[0].function.parameters must be an object, got: \"{}\"");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"\"sometimes\"", "{\"type\":\"function\"}", "3",
      "{\"type\":\"tool\",\"name\":\"f\"}"})
  void openAi_toolChoiceInvalid_400(String choice) {
    rejectsOpenAi(msg() + ",\"tool_choice\":" + choice, "tool_choice",
        "tool_choice must be \"none\", \"auto\", \"required\" or {\"type\": \"function\"",
        "got: " + choice);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"\"none\"", "\"auto\"", "\"required\""})
  void openAi_toolChoiceKeyword_passes(String choice) {
    assertThatCode(() -> RequestValidation.openAi(openAi(msg() + ",\"tool_choice\":" + choice)))
        .doesNotThrowAnyException();
  }

  // ---- OpenAI: parameters ----

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "temperature|\"hot\"|temperature must be a number between 0 and 2, got: \"hot\"",
      "temperature|2.5|temperature must be a number between 0 and 2, got: 2.5",
      "temperature|-0.1|temperature must be a number between 0 and 2, got: -0.1",
      "top_p|1.1|top_p must be a number between 0 and 1, got: 1.1",
      "presence_penalty|-3|presence_penalty must be a number between -2 and 2, got: -3",
      "frequency_penalty|true|frequency_penalty must be a number between -2 and 2, got: true",
      "n|0|n must be a positive integer, got: 0",
      "n|1.5|n must be a positive integer, got: 1.5",
      "max_tokens|-5|max_tokens must be a positive integer, got: -5",
      "max_tokens|\"10\"|max_tokens must be a positive integer, got: \"10\"",
      "max_tokens|3000000000|max_tokens must be a positive integer, got: 3000000000",
      "max_completion_tokens|0|max_completion_tokens must be a positive integer, got: 0",
      "seed|1.5|seed must be an integer, got: 1.5",
      "seed|\"42\"|seed must be an integer, got: \"42\"",
      "logprobs|\"yes\"|logprobs must be a boolean, got: \"yes\"",
      "top_logprobs|21|top_logprobs must be an integer between 0 and 20, got: 21",
      "top_logprobs|-1|top_logprobs must be an integer between 0 and 20, got: -1",
      "user|42|user must be a string, got: 42",
      "parallel_tool_calls|1|parallel_tool_calls must be a boolean, got: 1",
      "stream|\"true\"|stream must be a boolean, got: \"true\"",
      "drop_params|\"yes\"|drop_params must be a boolean, got: \"yes\"",
      "stream_options|true|stream_options must be an object, got: true",
      "response_format|\"json\"|response_format must be an object, got: \"json\"",
      "stop|5|stop must be an array of up to 4 strings, got: 5",
      "stop|[\"a\",\"b\",\"c\",\"d\",\"e\"]|stop must be an array of up to 4 strings, got: "
          + "[\"a\",\"b\",\"c\",\"d\",\"e\"]"})
  void openAi_badParameter_400NamesFieldAndValue(String field, String value, String message) {
    rejectsOpenAi(msg() + ",\"" + field + "\":" + value, field, message);
  }

  @Test
  void openAi_stopElementNotString_400() {
    rejectsOpenAi(msg() + ",\"stop\":[\"a\",1]", "stop[1]", "stop[1] must be a string, got: 1");
  }

  @Test
  void openAi_includeUsageNotBoolean_400() {
    rejectsOpenAi(msg() + ",\"stream_options\":{\"include_usage\":\"yes\"}",
        "stream_options.include_usage",
        "stream_options.include_usage must be a boolean, got: \"yes\"");
  }

  @Test
  void openAi_responseFormatWithoutType_400() {
    rejectsOpenAi(msg() + ",\"response_format\":{\"json_schema\":{}}", "response_format.type",
        "response_format.type is required");
  }

  @Test
  void openAi_longBadValue_shownCut() {
    String big = "\"" + "x".repeat(500) + "\"";

    rejectsOpenAi(msg() + ",\"temperature\":" + big, "temperature",
        "got: \"" + "x".repeat(79) + "...");
  }

  // ---- Anthropic ----

  @Test
  void anthropic_everyDocumentedFieldValid_passes() {
    ObjectNode body = anthropic("\"max_tokens\":100,\"system\":[{\"type\":\"text\","
        + "\"text\":\"be brief\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
        + "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://x\"}},"
        + "{\"type\":\"document\",\"source\":{\"type\":\"text\",\"data\":\"d\"}}]},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"t\"},"
        + "{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"get\",\"input\":{}}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"42\"}],\"is_error\":false}]}],"
        + "\"temperature\":1,\"top_p\":0.9,\"top_k\":40,\"stop_sequences\":[\"END\"],"
        + "\"stream\":false,\"tools\":[{\"name\":\"get\",\"description\":\"d\","
        + "\"input_schema\":{\"type\":\"object\"}},{\"type\":\"web_search_20250305\","
        + "\"name\":\"web_search\"}],\"tool_choice\":{\"type\":\"tool\",\"name\":\"get\"},"
        + "\"metadata\":{\"user_id\":\"u\"},\"thinking\":{\"type\":\"disabled\"}");

    assertThatCode(() -> RequestValidation.anthropic(body)).doesNotThrowAnyException();
  }

  @Test
  void anthropic_systemString_passes() {
    assertThatCode(() -> RequestValidation.anthropic(anthropic("\"max_tokens\":5,"
        + "\"system\":\"s\",\"messages\":[" + USER_HI + "]"))).doesNotThrowAnyException();
  }

  @Test
  void anthropic_maxTokensMissing_400SaysTheApiNeedsIt() {
    rejectsAnthropic("\"messages\":[" + USER_HI + "]", "max_tokens",
        "max_tokens is required: the Anthropic Messages API needs");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "max_tokens|-5|max_tokens must be a positive integer, got: -5",
      "max_tokens|\"many\"|max_tokens must be a positive integer, got: \"many\"",
      "temperature|1.5|temperature must be a number between 0 and 1, got: 1.5",
      "temperature|\"hot\"|temperature must be a number between 0 and 1, got: \"hot\"",
      "top_p|-1|top_p must be a number between 0 and 1, got: -1",
      "top_k|2.5|top_k must be a non-negative integer, got: 2.5",
      "top_k|-1|top_k must be a non-negative integer, got: -1",
      "stop_sequences|\"END\"|stop_sequences must be an array of strings, got: \"END\"",
      "stream|1|stream must be a boolean, got: 1",
      "drop_params|1|drop_params must be a boolean, got: 1",
      "metadata|\"m\"|metadata must be an object, got: \"m\"",
      "tools|{}|tools must be an array of tools, got: {}",
      "system|5|system must be a string or an array of text blocks, got: 5",
      "tool_choice|\"auto\"|tool_choice must be an object like {\"type\": \"auto\"}, "
          + "got: \"auto\""})
  void anthropic_badParameter_400NamesFieldAndValue(String field, String value,
      String message) {
    String max = field.equals("max_tokens") ? "" : "\"max_tokens\":5,";
    rejectsAnthropic(max + "\"messages\":[" + USER_HI + "],\"" + field + "\":" + value, field,
        message);
  }

  @Test
  void anthropic_stopSequenceNotString_400() {
    rejectsAnthropic(anthropicMsg() + ",\"stop_sequences\":[\"a\",2]", "stop_sequences[1]",
        "stop_sequences[1] must be a string, got: 2");
  }

  @Test
  void anthropic_metadataUserIdNotString_400() {
    rejectsAnthropic(anthropicMsg() + ",\"metadata\":{\"user_id\":7}", "metadata.user_id",
        "metadata.user_id must be a string, got: 7");
  }

  @Test
  void anthropic_systemRole_400ListsTheRoles() {
    rejectsAnthropic("\"max_tokens\":5,\"messages\":[{\"role\":\"system\",\"content\":\"s\"}]",
        "messages[0].role",
        "messages[0].role must be one of \"user\", \"assistant\", got: \"system\"");
  }

  @Test
  void anthropic_contentMissing_400() {
    rejectsAnthropic("\"max_tokens\":5,\"messages\":[{\"role\":\"user\"}]",
        "messages[0].content", "messages[0].content is required");
  }

  @Test
  void anthropic_contentNumber_400() {
    rejectsAnthropic("\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":5}]",
        "messages[0].content",
        "messages[0].content must be a string or an array of content blocks, got: 5");
  }

  @Test
  void anthropic_messagesEmpty_400() {
    rejectsAnthropic("\"max_tokens\":5,\"messages\":[]", "messages",
        "messages must not be empty");
  }

  @Test
  void anthropic_blockWithoutType_400() {
    rejectsAnthropic(content("{\"text\":\"a\"}"), "messages[0].content[0].type",
        "messages[0].content[0].type is required");
  }

  @Test
  void anthropic_blockTypeNotString_400() {
    rejectsAnthropic(content("{\"type\":1}"), "messages[0].content[0].type",
        "messages[0].content[0].type must be a string, got: 1");
  }

  @Test
  void anthropic_textBlockWithoutText_400() {
    rejectsAnthropic(content("{\"type\":\"text\"}"), "messages[0].content[0].text",
        "messages[0].content[0].text is required");
  }

  @Test
  void anthropic_imageBlockSourceNotObject_400() {
    rejectsAnthropic(content("{\"type\":\"image\",\"source\":\"https://x\"}"),
        "messages[0].content[0].source",
        "messages[0].content[0].source must be an object, got: \"https://x\"");
  }

  @Test
  void anthropic_toolUseInputNotObject_400() {
    rejectsAnthropic(content("{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"n\","
        + "\"input\":\"{}\"}"), "messages[0].content[0].input",
        "messages[0].content[0].input must be an object, got: \"{}\"");
  }

  @Test
  void anthropic_toolUseWithoutId_400() {
    rejectsAnthropic(content("{\"type\":\"tool_use\",\"name\":\"n\",\"input\":{}}"),
        "messages[0].content[0].id", "messages[0].content[0].id is required");
  }

  @Test
  void anthropic_toolResultWithoutToolUseId_400() {
    rejectsAnthropic(content("{\"type\":\"tool_result\",\"content\":\"42\"}"),
        "messages[0].content[0].tool_use_id", "messages[0].content[0].tool_use_id is required");
  }

  @Test
  void anthropic_toolResultContentNumber_400() {
    rejectsAnthropic(content("{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":4}"),
        "messages[0].content[0].content",
        "messages[0].content[0].content must be a string or an array of content blocks");
  }

  @Test
  void anthropic_systemBlockNotText_400() {
    rejectsAnthropic(anthropicMsg() + ",\"system\":[{\"type\":\"image\"}]", "system[0]",
        "system[0] must be a text block");
  }

  @Test
  void anthropic_toolWithoutInputSchema_400() {
    rejectsAnthropic(anthropicMsg() + ",\"tools\":[{\"name\":\"get\"}]",
        "tools[0].input_schema", "tools[0].input_schema is required");
  }

  @Test
  void anthropic_toolNameNotString_400() {
    rejectsAnthropic(anthropicMsg() + ",\"tools\":[{\"name\":5,\"input_schema\":{}}]",
        "tools[0].name", "tools[0].name must be a string, got: 5");
  }

  @Test
  void anthropic_toolDescriptionNotString_400() {
    rejectsAnthropic(anthropicMsg() + ",\"tools\":[{\"name\":\"n\",\"input_schema\":{},"
        + "\"description\":[]}]", "tools[0].description",
        "tools[0].description must be a string, got: []");
  }

  @Test
  void anthropic_toolChoiceUnknownType_400() {
    rejectsAnthropic(anthropicMsg() + ",\"tool_choice\":{\"type\":\"required\"}",
        "tool_choice.type", "tool_choice.type must be one of \"auto\", \"any\", \"tool\", "
            + "\"none\", got: \"required\"");
  }

  @Test
  void anthropic_toolChoiceToolWithoutName_400() {
    rejectsAnthropic(anthropicMsg() + ",\"tool_choice\":{\"type\":\"tool\"}",
        "tool_choice.name", "tool_choice.name is required");
  }

  // ---- helpers ----

  private static String msg() {
    return "\"messages\":[" + USER_HI + "]";
  }

  private static String anthropicMsg() {
    return "\"max_tokens\":5,\"messages\":[" + USER_HI + "]";
  }

  private static String content(String block) {
    return "\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[" + block + "]}]";
  }

  private static ObjectNode openAi(String fields) {
    return parse("{\"model\":\"gpt-4o\"," + fields + "}");
  }

  private static ObjectNode anthropic(String fields) {
    return parse("{\"model\":\"claude-3-5-haiku-20241022\"," + fields + "}");
  }

  private static ObjectNode parse(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("test JSON is broken: " + json, e);
    }
  }

  private static void rejectsOpenAi(String fields, String param, String... messageParts) {
    rejects(RequestValidation::openAi, openAi(fields), param, messageParts);
  }

  private static void rejectsAnthropic(String fields, String param, String... messageParts) {
    rejects(RequestValidation::anthropic, anthropic(fields), param, messageParts);
  }

  private static void rejects(Consumer<ObjectNode> check, ObjectNode body, String param,
      String... messageParts) {
    assertThatThrownBy(() -> check.accept(body))
        .isInstanceOfSatisfying(KeelException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
          assertThat(e.param()).isEqualTo(param);
        })
        .message().contains(messageParts);
  }
}
