package dev.keel.providers;

import static dev.keel.providers.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.usage.Usage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamTranslationTest {

  @Test
  void anthropicToOpenAi_textAndTool_chunksInOpenAiOrder() {
    List<SseEvent> out = translate(Translation.anthropicToOpenAiStream(),
        Recorded.ANTHROPIC_TEXT_AND_TOOL);

    assertThat(out).allMatch(e -> e.event() == null);
    assertThat(out.get(out.size() - 1).data()).isEqualTo("[DONE]");
    List<ObjectNode> chunks = out.subList(0, out.size() - 1).stream()
        .map(e -> obj(e.data())).toList();
    assertThat(chunks).allMatch(c -> c.get("id").asText().equals("chatcmpl-01XYZ")
        && c.get("object").asText().equals("chat.completion.chunk"));
    assertThat(delta(chunks.get(0))).isEqualTo(obj("{\"role\":\"assistant\",\"content\":\"\"}"));
    assertThat(delta(chunks.get(1))).isEqualTo(obj("{\"content\":\"Hello\"}"));
    assertThat(delta(chunks.get(2))).isEqualTo(obj("{\"content\":\" world\"}"));
    assertThat(delta(chunks.get(3))).isEqualTo(obj("""
        {"tool_calls":[{"index":0,"id":"toolu_01","type":"function",
          "function":{"name":"weather","arguments":""}}]}"""));
    assertThat(delta(chunks.get(4))).isEqualTo(obj("""
        {"tool_calls":[{"index":0,"function":{"arguments":"{\\"city\\": \\"Par"}}]}"""));
    assertThat(chunks.get(6).get("choices").get(0).get("finish_reason").asText())
        .isEqualTo("tool_calls");
    ObjectNode usageChunk = chunks.get(7);
    assertThat(usageChunk.get("choices")).isEmpty();
    assertThat(usageChunk.get("usage").get("prompt_tokens").asLong()).isEqualTo(125);
    assertThat(usageChunk.get("usage").get("completion_tokens").asLong()).isEqualTo(15);
    assertThat(chunks).hasSize(8);
  }

  @Test
  void anthropicToOpenAi_outputAccumulated_sameAsWholeTranslation() {
    var acc = StreamAccumulator.of(WireFormat.OPENAI);

    translate(Translation.anthropicToOpenAiStream(), Recorded.ANTHROPIC_TEXT_AND_TOOL)
        .forEach(acc::accept);

    ObjectNode message = (ObjectNode) acc.response().get("choices").get(0).get("message");
    assertThat(message.get("content").asText()).isEqualTo("Hello world");
    assertThat(message.get("tool_calls").get(0).get("function").get("arguments").asText())
        .isEqualTo("{\"city\": \"Paris\"}");
    assertThat(acc.usage().get(Usage.INPUT_CACHED)).isEqualTo(100);
    assertThat(acc.usage().get(Usage.INPUT)).isEqualTo(25);
  }

  @Test
  void anthropicToOpenAi_structuredOutputTool_streamedAsContent() {
    List<SseEvent> upstream = List.of(
        Recorded.ANTHROPIC_TEXT_AND_TOOL.get(0), Recorded.ANTHROPIC_TEXT_AND_TOOL.get(6),
        Recorded.ANTHROPIC_TEXT_AND_TOOL.get(8), Recorded.ANTHROPIC_TEXT_AND_TOOL.get(9),
        Recorded.ANTHROPIC_TEXT_AND_TOOL.get(11), Recorded.ANTHROPIC_TEXT_AND_TOOL.get(12));
    var acc = StreamAccumulator.of(WireFormat.OPENAI);

    translate(Translation.anthropicToOpenAiStream("weather"), upstream).forEach(acc::accept);

    ObjectNode response = acc.response();
    assertThat(response.get("choices").get(0).get("message").get("content").asText())
        .isEqualTo("{\"city\": \"Paris\"}");
    assertThat(response.get("choices").get(0).get("message").has("tool_calls")).isFalse();
    assertThat(response.get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void openAiToAnthropic_textAndTool_eventsInAnthropicOrder() {
    List<SseEvent> out = translate(Translation.openAiToAnthropicStream(),
        Recorded.OPENAI_TEXT_AND_TOOL);

    assertThat(out).extracting(SseEvent::event).containsExactly("message_start",
        "content_block_start", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_delta",
        "content_block_stop", "message_delta", "message_stop");
    ObjectNode start = obj(out.get(0).data());
    assertThat(start.get("message").get("id").asText()).isEqualTo("msg_AB1");
    assertThat(start.get("message").get("usage").has("input_tokens")).isTrue();
    assertThat(obj(out.get(4).data()).get("content_block")).isEqualTo(obj("""
        {"type":"tool_use","id":"call_1","name":"weather","input":{}}"""));
    ObjectNode messageDelta = obj(out.get(8).data());
    assertThat(messageDelta.get("delta").get("stop_reason").asText()).isEqualTo("tool_use");
    assertThat(messageDelta.get("usage")).isEqualTo(obj("""
        {"input_tokens":30,"cache_creation_input_tokens":0,"cache_read_input_tokens":20,
         "output_tokens":12}"""));
  }

  @Test
  void openAiToAnthropic_outputAccumulated_wholeMessage() {
    var acc = StreamAccumulator.of(WireFormat.ANTHROPIC);

    translate(Translation.openAiToAnthropicStream(), Recorded.OPENAI_TEXT_AND_TOOL)
        .forEach(acc::accept);

    ObjectNode message = acc.response();
    assertThat(message.get("content")).isEqualTo(obj("""
        {"c": [{"type":"text","text":"Hi"},
          {"type":"tool_use","id":"call_1","name":"weather","input":{"city":"Rome"}}]}""")
        .get("c"));
    assertThat(message.get("stop_reason").asText()).isEqualTo("tool_use");
    assertThat(acc.usage().promptTokens()).isEqualTo(50);
  }

  @Test
  void openAiToAnthropic_endWithoutDoneAfterFinish_closesMessage() {
    var t = Translation.openAiToAnthropicStream();
    List<SseEvent> upstream = Recorded.OPENAI_TEXT_AND_TOOL.subList(0, 6);
    upstream.forEach(t::onEvent);

    List<SseEvent> tail = t.onEnd();

    assertThat(tail).extracting(SseEvent::event).containsExactly("message_delta", "message_stop");
  }

  @Test
  void openAiToAnthropic_endBeforeFinish_addsNothing() {
    var t = Translation.openAiToAnthropicStream();
    Recorded.OPENAI_TEXT_AND_TOOL.subList(0, 2).forEach(t::onEvent);

    assertThat(t.onEnd()).isEmpty();
  }

  @Test
  void onEvent_invalidJson_malformedResponse() {
    var t = Translation.anthropicToOpenAiStream();

    assertThatThrownBy(() -> t.onEvent(new SseEvent("message_start", "{not json")))
        .isInstanceOfSatisfying(UpstreamException.class,
            e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.MALFORMED_RESPONSE));
  }

  private static ObjectNode delta(ObjectNode chunk) {
    return (ObjectNode) chunk.get("choices").get(0).get("delta");
  }

  private static List<SseEvent> translate(StreamTranslator t, List<SseEvent> upstream) {
    List<SseEvent> out = new ArrayList<>();
    upstream.forEach(e -> out.addAll(t.onEvent(e)));
    out.addAll(t.onEnd());
    return out;
  }
}
