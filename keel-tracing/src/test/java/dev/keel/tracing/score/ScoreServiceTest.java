package dev.keel.tracing.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.store.Store;
import dev.keel.store.StoreConfig;
import dev.keel.tracing.ingest.InvalidEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NUMERIC score values that are no number a score can hold fail their event. */
class ScoreServiceTest {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  @TempDir
  Path dir;

  private Store store;
  private ScoreService scores;

  @BeforeEach
  void open() {
    store = Store.open(StoreConfig.sqlite(dir));
    scores = new ScoreService(store.scores(), Clock.systemUTC());
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void numericValue_overflowingOrNaN_isRejectedNamingTheValue() throws Exception {
    assertThatThrownBy(() -> scores.fromBody("p", JSON.readTree(
        "{\"traceId\":\"t\",\"name\":\"q\",\"value\":1e400}"), T0))
        .isInstanceOf(InvalidEvent.class).hasMessage("value must be a finite number, got 1E+400");
    ObjectNode nan = JSON.createObjectNode().put("traceId", "t").put("name", "q")
        .put("value", Double.NaN);
    assertThatThrownBy(() -> scores.fromBody("p", nan, T0))
        .isInstanceOf(InvalidEvent.class).hasMessage("value must be a finite number, got NaN");
    ObjectNode inf = nan.deepCopy().put("value", Double.NEGATIVE_INFINITY)
        .put("dataType", "NUMERIC");
    assertThatThrownBy(() -> scores.fromBody("p", inf, T0))
        .hasMessage("value must be a finite number, got -Infinity");
  }

  @Test
  void numericValue_largeButFinite_isKept() throws Exception {
    assertThat(scores.fromBody("p", JSON.readTree(
        "{\"traceId\":\"t\",\"name\":\"q\",\"value\":1e300}"), T0).value()).isEqualTo(1e300);
  }
}
