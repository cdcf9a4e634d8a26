package dev.keel.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MetricsTest {

  @Test
  void render_countersHistogramAndGauges_inPrometheusTextFormat() {
    var m = new Metrics();
    m.request("/v1/chat/completions", "openai/gpt-4o", 200, 3_000_000);
    m.request("/v1/chat/completions", "openai/gpt-4o", 200, 40_000_000);
    m.request("/v1/chat/completions", "", 404, 1_000_000);
    m.tokens("gpt-4o", "input", 20);
    m.tokens("gpt-4o", "input", 5);
    m.cost("gpt-4o", new BigDecimal("0.00000705"));
    m.cost("gpt-4o", new BigDecimal("0.00000705"));
    m.gauge("keel_trace_queue_depth", () -> 7);

    String text = m.render();

    assertThat(text)
        .contains("keel_requests_total{route=\"/v1/chat/completions\",model=\"openai/gpt-4o\","
            + "status=\"200\"} 2")
        .contains("keel_request_errors_total{route=\"/v1/chat/completions\",model=\"\","
            + "status=\"404\"} 1")
        .contains("keel_request_duration_seconds_bucket{route=\"/v1/chat/completions\","
            + "model=\"openai/gpt-4o\",le=\"0.005\"} 1")
        .contains("keel_request_duration_seconds_bucket{route=\"/v1/chat/completions\","
            + "model=\"openai/gpt-4o\",le=\"0.05\"} 2")
        .contains("keel_request_duration_seconds_count{route=\"/v1/chat/completions\","
            + "model=\"openai/gpt-4o\"} 2")
        .contains("keel_tokens_total{model=\"gpt-4o\",type=\"input\"} 25")
        .contains("keel_cost_usd_total{model=\"gpt-4o\"} 0.0000141\n")
        .contains("keel_trace_queue_depth 7");
  }

  @Test
  void render_labelValuesAreEscaped() {
    var m = new Metrics();
    m.tokens("we\"ird\\model\n", "output", 1);

    assertThat(m.render()).contains("model=\"we\\\"ird\\\\model\\n\"");
  }

  @Test
  void render_counterGauge_typedCounterWithHelpAndReadAtScrape() {
    var m = new Metrics();
    long[] written = {3};
    m.counterGauge("keel_trace_written_total", "Traces committed to the store.", () -> written[0]);
    m.gauge("keel_trace_queue_depth", () -> 1);
    written[0] = 5;

    String text = m.render();

    assertThat(text).contains("# HELP keel_trace_written_total Traces committed to the store.\n"
        + "# TYPE keel_trace_written_total counter\nkeel_trace_written_total 5\n")
        .contains("# TYPE keel_trace_queue_depth gauge\nkeel_trace_queue_depth 1\n")
        .doesNotContain("# TYPE keel_trace_written_total gauge");
  }
}
