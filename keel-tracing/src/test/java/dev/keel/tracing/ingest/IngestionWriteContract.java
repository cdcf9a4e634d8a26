package dev.keel.tracing.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.core.cost.CostCalculator;
import dev.keel.core.trace.Observation;
import dev.keel.store.ScoreQuery;
import dev.keel.store.Store;
import dev.keel.store.TraceWriter;
import dev.keel.tracing.score.ScoreService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Ingestion batches through the real trace writer into a store: what a resent batch, a NUL
 * character and impossible times do. Each store's IT extends it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class IngestionWriteContract {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Store store;
  private TraceWriter writer;
  private IngestionService ingestion;
  private final String p = "p-" + UUID.randomUUID();

  protected abstract Store openStore() throws Exception;

  protected void dropStore() throws Exception {
  }

  @BeforeAll
  void open() throws Exception {
    store = openStore();
    writer = new TraceWriter(store.traces(), 1000, 100, Duration.ofMillis(20));
    ingestion = new IngestionService(writer, CostCalculator.bundled()::cost,
        new ScoreService(store.scores(), Clock.systemUTC()), Clock.systemUTC(),
        Duration.ofSeconds(5));
  }

  @AfterAll
  void close() throws Exception {
    writer.close();
    store.close();
    dropStore();
  }

  @Test
  void resentBatch_scoreWithoutId_isStoredOnce() throws Exception {
    String batch = """
        {"batch":[
          {"id":"t1","type":"trace-create","timestamp":"2026-12-04T18:00:00Z",
           "body":{"id":"dup-trace","name":"important-run"}},
          {"id":"sd1","type":"score-create","timestamp":"2026-12-04T18:00:00Z",
           "body":{"traceId":"dup-trace","name":"dup","value":1}},
          {"id":"sd2","type":"score-create","timestamp":"2026-12-04T18:00:00Z",
           "body":{"traceId":"dup-trace","name":"dup","value":2}}]}""";

    IngestionResult first = ingest(batch);
    IngestionResult second = ingest(batch);

    assertThat(first.errors()).isEmpty();
    assertThat(second.errors()).isEmpty();
    var scores = store.scores().list(ScoreQuery.all(p, 50)).items();
    assertThat(scores).extracting(s -> s.value()).containsExactlyInAnyOrder(1.0, 2.0);
    assertThat(scores).extracting(s -> s.id()).containsExactlyInAnyOrder(
        ScoreService.idOfEvent("sd1"), ScoreService.idOfEvent("sd2"));
  }

  @Test
  void endOrCompletionStartBeforeStart_failsThatEventNamingBothFields_andKeepsTheRest()
      throws Exception {
    IngestionResult r = ingest("""
        {"batch":[
          {"id":"back","type":"generation-create","timestamp":"2026-12-04T18:00:00Z",
           "body":{"id":"g-back","traceId":"times","startTime":"2026-12-04T18:00:05Z",
                   "endTime":"2026-12-04T18:00:01Z"}},
          {"id":"early","type":"generation-create","timestamp":"2026-12-04T18:00:00Z",
           "body":{"id":"g-early","traceId":"times","startTime":"2026-12-04T18:00:05Z",
                   "completionStartTime":"2026-12-04T18:00:04Z"}},
          {"id":"late-update","type":"generation-update","timestamp":"2026-12-04T18:00:00Z",
           "body":{"id":"g-ok","traceId":"times","startTime":"2026-12-04T18:00:05Z",
                   "endTime":"2026-12-04T18:00:04.999Z"}},
          {"id":"ok","type":"generation-create","timestamp":"2026-12-04T18:00:00Z",
           "body":{"id":"g-ok","traceId":"times","startTime":"2026-12-04T18:00:05Z",
                   "completionStartTime":"2026-12-04T18:00:05Z",
                   "endTime":"2026-12-04T18:00:06Z"}}]}""");

    assertThat(r.successes()).extracting(IngestionResult.Success::id).containsExactly("ok");
    assertThat(r.errors()).extracting(IngestionResult.Failure::id)
        .containsExactly("back", "early", "late-update");
    assertThat(r.errors().get(0).status()).isEqualTo(400);
    assertThat(r.errors().get(0).error()).isEqualTo("endTime 2026-12-04T18:00:01Z is before"
        + " startTime 2026-12-04T18:00:05Z; an observation cannot end before it starts");
    assertThat(r.errors().get(1).error()).startsWith("completionStartTime"
        + " 2026-12-04T18:00:04Z is before startTime 2026-12-04T18:00:05Z");
    List<Observation> stored = store.traces().observationsOf(p, "times");
    assertThat(stored).extracting(Observation::id).containsExactly("g-ok");
  }

  @Test
  void nulInAName_isStoredAsTheReplacementCharacter_withTheOtherEvent() throws Exception {
    IngestionResult r = ingest("""
        {"batch":[
          {"id":"n1","type":"span-create","timestamp":"2026-12-04T18:00:00Z",
           "body":{"id":"nul-span","traceId":"nul-trace","name":"nul\\u0000name",
                   "metadata":{"k":"v\\u0000"}}},
          {"id":"n2","type":"span-create","timestamp":"2026-12-04T18:00:00Z",
           "body":{"id":"fine-span","traceId":"nul-trace","name":"fine"}},
          {"id":"n3","type":"trace-create","timestamp":"2026-12-04T18:00:00Z",
           "body":{"id":"nul-trace","userId":"x\\u0000y","tags":["a\\u0000b"]}}]}""");

    assertThat(r.errors()).isEmpty();
    assertThat(store.traces().observationsOf(p, "nul-trace")).extracting(Observation::name)
        .containsExactlyInAnyOrder("nul\uFFFDname", "fine");
    var trace = store.traces().findTrace(p, "nul-trace").orElseThrow().trace();
    assertThat(trace.userId()).isEqualTo("x\uFFFDy");
    assertThat(trace.tags()).containsExactly("a\uFFFDb");
  }

  private IngestionResult ingest(String body) throws Exception {
    JsonNode json = JSON.readTree(body);
    return ingestion.ingest(p, false, json).get(10, TimeUnit.SECONDS);
  }
}
