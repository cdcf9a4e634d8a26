package dev.keel.providers;

import static dev.keel.providers.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.usage.Usage;
import org.junit.jupiter.api.Test;

class StreamAccumulatorTest {

  @Test
  void anthropic_recordedStream_rebuildsMessageAndUsage() {
    var acc = StreamAccumulator.of(WireFormat.ANTHROPIC);

    Recorded.ANTHROPIC_TEXT_AND_TOOL.forEach(acc::accept);

    ObjectNode m = acc.response();
    assertThat(m.get("id").asText()).isEqualTo("msg_01XYZ");
    assertThat(m.get("content")).isEqualTo(obj("""
        {"c": [{"type":"text","text":"Hello world"},
          {"type":"tool_use","id":"toolu_01","name":"weather","input":{"city":"Paris"}}]}""")
        .get("c"));
    assertThat(m.get("stop_reason").asText()).isEqualTo("tool_use");
    assertThat(m.get("usage").get("output_tokens").asLong()).isEqualTo(15);
    assertThat(acc.usage().details()).containsEntry(Usage.INPUT, 25L)
        .containsEntry(Usage.INPUT_CACHED, 100L).containsEntry(Usage.OUTPUT, 15L);
  }

  @Test
  void openAi_recordedStream_rebuildsCompletionAndUsage() {
    var acc = StreamAccumulator.of(WireFormat.OPENAI);

    Recorded.OPENAI_TEXT_AND_TOOL.forEach(acc::accept);

    ObjectNode c = acc.response();
    assertThat(c.get("id").asText()).isEqualTo("chatcmpl-AB1");
    assertThat(c.get("object").asText()).isEqualTo("chat.completion");
    ObjectNode message = (ObjectNode) c.get("choices").get(0).get("message");
    assertThat(message.get("content").asText()).isEqualTo("Hi");
    assertThat(message.get("tool_calls")).isEqualTo(obj("""
        {"t": [{"id":"call_1","type":"function","function":{"name":"weather",
          "arguments":"{\\"city\\":\\"Rome\\"}"}}]}""").get("t"));
    assertThat(c.get("choices").get(0).get("finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(acc.usage().details()).containsEntry(Usage.INPUT, 30L)
        .containsEntry(Usage.INPUT_CACHED, 20L).containsEntry(Usage.OUTPUT, 10L)
        .containsEntry(Usage.OUTPUT_REASONING, 2L);
  }

  @Test
  void sawFirstToken_roleChunkOnly_falseUntilContentArrives() {
    var acc = StreamAccumulator.of(WireFormat.OPENAI);

    acc.accept(Recorded.OPENAI_TEXT_AND_TOOL.get(0));
    boolean afterRole = acc.sawFirstToken();
    acc.accept(Recorded.OPENAI_TEXT_AND_TOOL.get(1));

    assertThat(afterRole).isFalse();
    assertThat(acc.sawFirstToken()).isTrue();
  }

  @Test
  void sawFirstToken_anthropicStartAndPing_falseUntilTextDelta() {
    var acc = StreamAccumulator.of(WireFormat.ANTHROPIC);

    Recorded.ANTHROPIC_TEXT_AND_TOOL.subList(0, 3).forEach(acc::accept);
    boolean beforeText = acc.sawFirstToken();
    acc.accept(Recorded.ANTHROPIC_TEXT_AND_TOOL.get(3));

    assertThat(beforeText).isFalse();
    assertThat(acc.sawFirstToken()).isTrue();
  }

  @Test
  void usage_streamWithoutUsage_none() {
    var acc = StreamAccumulator.of(WireFormat.OPENAI);

    Recorded.OPENAI_TEXT_AND_TOOL.subList(0, 3).forEach(acc::accept);

    assertThat(acc.usage()).isEqualTo(Usage.NONE);
  }
}
