package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void bucket_boundsGrowByAnEighthOfADoubling() {
    assertThat(LatencyHistogram.bucket(-5)).isZero();
    assertThat(LatencyHistogram.bucket(999)).isZero();
    assertThat(LatencyHistogram.bucket(1_000)).isEqualTo(1);
    assertThat(LatencyHistogram.bucket(2_000)).isEqualTo(9);
    assertThat(LatencyHistogram.bucket(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
  }

  @Test
  void percentileSeconds_nearestRank_withinFivePercentOfTheExactValue() {
    var h = new LatencyHistogram();
    for (int ms = 1; ms <= 100; ms++) {
      h.addMicros(ms * 1_000L);
    }

    assertThat(h.count()).isEqualTo(100);
    assertThat(h.percentileSeconds(0.5)).isCloseTo(0.050, within(0.050 * 0.05));
    assertThat(h.percentileSeconds(0.95)).isCloseTo(0.095, within(0.095 * 0.05));
    assertThat(new LatencyHistogram().percentileSeconds(0.5)).isNull();
  }

  @Test
  void encode_thenAddEncoded_keepsEveryCount() {
    var h = new LatencyHistogram();
    h.addMicros(300);
    h.addMicros(42_000);
    h.addMicros(42_100);
    var copy = new LatencyHistogram();

    copy.addEncoded(h.encode());

    assertThat(copy.encode()).isEqualTo(h.encode()).isEqualTo("0:1 44:2");
    assertThat(copy.count()).isEqualTo(3);
  }

  @Test
  void percentileSeconds_outsideZeroToOne_namesTheValue() {
    assertThatThrownBy(() -> new LatencyHistogram().percentileSeconds(1.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("p must be between 0 and 1: 1.5");
  }
}
