package dev.keel.eval.online;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.ObservationType;
import dev.keel.core.trace.Trace;
import dev.keel.eval.TaskOutput;
import dev.keel.store.TraceSummary;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceItemTest {

  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  @Test
  void output_assistantMessage_textRetrieverOutputsInOrder_costAndLatency() {
    TraceSummary s = summary("[{\"role\": \"user\", \"content\": \"Capital of France?\"}]",
        "{\"role\": \"assistant\", \"content\": \"Paris.\"}", false);
    List<Observation> obs = List.of(
        retriever("r2", T0.plusSeconds(2), "[{\"text\": \"third\"}]"),
        retriever("r1", T0, "{\"documents\": [\"first\", {\"page_content\": \"second\"}]}"));

    TaskOutput out = TraceItem.output(s, obs);

    assertThat(out.text()).isEqualTo("Paris.");
    assertThat(out.retrievedContexts()).containsExactly("first", "second", "third");
    assertThat(out.costUsd()).isEqualByComparingTo("0.002");
    assertThat(out.latencyMs()).isEqualTo(1500);
    assertThat(TraceItem.item(s, obs).input().get(0).path("content").asText())
        .isEqualTo("Capital of France?");
  }

  @Test
  void output_plainTextOrCompletion_incompleteCostIsUnknown() {
    assertThat(TraceItem.output(summary("\"q\"", "not json at all", true), List.of()).text())
        .isEqualTo("not json at all");
    assertThat(TraceItem.output(summary("\"q\"", "not json", true), List.of()).costUsd())
        .isNull();
    assertThat(TraceItem.text(TraceItemTestJson.completion())).isEqualTo("Tokyo");
  }

  private static TraceSummary summary(String input, String output, boolean incomplete) {
    Trace t = new Trace("t", "default", "qa", T0, null, null, input, output, null, List.of(),
        null, null, "default", false);
    return new TraceSummary(t, new BigDecimal("0.002"), incomplete, 1.5, 2);
  }

  private static Observation retriever(String id, Instant start, String output) {
    return new Observation(id, "t", "default", null, ObservationType.RETRIEVER, "search",
        start, start, null, null, null, null, output, null, Level.DEFAULT, null, null, null,
        null, null, "default");
  }

  /** A chat completion body as some SDKs store it as the output. */
  private static final class TraceItemTestJson {
    static com.fasterxml.jackson.databind.JsonNode completion() {
      try {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(
            "{\"choices\": [{\"message\": {\"role\": \"assistant\", \"content\": \"Tokyo\"}}]}");
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }
}
