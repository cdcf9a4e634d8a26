package dev.keel.eval.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.ObservationType;
import dev.keel.core.trace.Trace;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnlineRuleTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  @Test
  void parse_minimalRule_hasDocumentedDefaults() {
    OnlineRule r = OnlineRule.parse(json("{\"name\": \"r\", \"scorers\": [\"json_valid\"]}"),
        "");

    assertThat(r.sampleRate()).isEqualTo(1.0);
    assertThat(r.delaySeconds()).isEqualTo(10);
    assertThat(r.maxDailyCostUsd()).isNull();
    assertThat(r.judgeModel()).isNull();
    assertThat(r.enabled()).isTrue();
    assertThat(r.filter()).isEqualTo(RuleFilter.ALL);
  }

  @Test
  void toJson_parsesBackToTheSameRule() {
    OnlineRule r = OnlineRule.parse(json("""
        {"name": "rag", "sample_rate": 0.25, "delay_seconds": 30, "judge": "gpt-4o-mini",
         "max_daily_cost_usd": "2.50", "enabled": false,
         "filter": {"trace_name": "qa*", "tags": ["a", "b"], "prompt_name": "qa",
                    "prompt_version": 3, "level": "warning"},
         "scorers": ["faithfulness", {"name": "rouge_l", "options": {"mode": "recall"}}]}
        """), "");

    OnlineRule again = OnlineRule.parse(r.toJson(), "");

    assertThat(again).isEqualTo(r);
    assertThat(r.maxDailyCostUsd()).isEqualByComparingTo(new BigDecimal("2.5"));
    assertThat(r.toJson().path("max_daily_cost_usd").toString()).isEqualTo("2.5");
    assertThat(r.filter().level()).isEqualTo(Level.WARNING);
  }

  @Test
  void parse_badFields_nameThemUnderWhere() {
    String at = "online_eval.rules[2]";

    assertThatThrownBy(() -> OnlineRule.parse(json("{\"name\": \"r\", \"scorers\": []}"), at))
        .hasMessage("online_eval.rules[2].scorers must list at least one scorer");
    assertThatThrownBy(() -> OnlineRule.parse(json("{\"name\": \"r\", \"scorers\": "
        + "[\"bleu\", {\"name\": \"bleu\"}]}"), at))
        .hasMessageContaining("online_eval.rules[2].scorers[1]: score name bleu is used twice");
    assertThatThrownBy(() -> OnlineRule.parse(json("{\"name\": \"r\", \"judge\": {\"modl\": "
        + "\"x\"}, \"scorers\": [\"bleu\"]}"), at))
        .hasMessageStartingWith("unknown key online_eval.rules[2].judge.modl");
    assertThatThrownBy(() -> OnlineRule.parse(json("{\"name\": \"r\", \"filter\": "
        + "{\"prompt_version\": 2}, \"scorers\": [\"bleu\"]}"), at))
        .hasMessage("online_eval.rules[2].filter.prompt_version needs "
            + "online_eval.rules[2].filter.prompt_name");
    assertThatThrownBy(() -> OnlineRule.parse(json("{\"name\": \"r\", \"filter\": "
        + "{\"level\": \"LOUD\"}, \"scorers\": [\"bleu\"]}"), at))
        .hasMessageContaining("online_eval.rules[2].filter.level must be one of DEBUG");
    assertThatThrownBy(() -> OnlineRule.parse(json("{\"name\": \"r\", \"enabled\": \"yes\", "
        + "\"scorers\": [\"bleu\"]}"), at))
        .hasMessage("online_eval.rules[2].enabled must be true or false: \"yes\"");
  }

  @Test
  void filter_everyConditionMustHold_listsMeanAnyOf_starIsAWildcard() {
    RuleFilter f = OnlineRule.parse(json("""
        {"name": "r", "scorers": ["bleu"], "filter": {"trace_name": ["chat-*", "qa"],
         "model": "gpt-4o*", "tags": ["prod"], "environment": "production",
         "user_id": ["u1", "u2"], "prompt_name": "greet", "prompt_version": 3,
         "level": "WARNING"}}
        """), "").filter();
    Trace t = trace("chat-support", List.of("prod", "beta"), "production", "u2");
    List<Observation> obs = List.of(gen("gpt-4o-mini", "greet", 3, Level.DEFAULT),
        gen("other", null, null, Level.WARNING));

    assertThat(f.matches(t, obs)).isTrue();
    assertThat(f.matches(trace("billing", List.of("prod"), "production", "u2"), obs)).isFalse();
    assertThat(f.matches(trace("qa", List.of("beta"), "production", "u2"), obs)).isFalse();
    assertThat(f.matches(t, List.of(gen("gpt-4o", "greet", 2, Level.ERROR)))).isFalse();
    assertThat(f.matches(t, List.of(gen("claude", "greet", 3, Level.ERROR)))).isFalse();
    assertThat(f.matches(t, List.of(gen("gpt-4o", "greet", 3, Level.DEFAULT)))).isFalse();
    assertThat(RuleFilter.ALL.matches(t, List.of())).isTrue();
  }

  @Test
  void sampling_isDeterministicPerTrace_andTakesAboutTheRate() {
    int taken = 0;
    for (int i = 0; i < 10_000; i++) {
      if (Sampling.sampled("rule", "trace-" + i, 0.3)) {
        taken++;
      }
    }

    assertThat(taken).isBetween(2_850, 3_150);
    assertThat(Sampling.sampled("rule", "trace-7", 0.3))
        .isEqualTo(Sampling.sampled("rule", "trace-7", 0.3));
    assertThat(Sampling.sampled("rule", "x", 0.0)).isFalse();
    assertThat(Sampling.sampled("rule", "x", 1.0)).isTrue();
    assertThat(Sampling.unit("a", "t")).isNotEqualTo(Sampling.unit("b", "t"));
  }

  private static Trace trace(String name, List<String> tags, String env, String user) {
    return new Trace("t", "default", name, T0, user, null, null, null, null, tags, null, null,
        env, false);
  }

  private static Observation gen(String model, String prompt, Integer version, Level level) {
    return new Observation("o-" + model, "t", "default", null, ObservationType.GENERATION,
        "llm", T0, T0, null, model, null, null, null, null, level, null, null, null, prompt,
        version, "production");
  }

  private static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
