package dev.keel.store;

import static dev.keel.store.Fixtures.T0;
import static dev.keel.store.Fixtures.bareTrace;
import static dev.keel.store.Fixtures.generation;
import static dev.keel.store.Fixtures.newProject;
import static dev.keel.store.Fixtures.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.trace.Observation;
import dev.keel.core.trace.Trace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceWriterIT {

  @TempDir
  Path dir;

  private Store store;
  private final String p = newProject();

  @BeforeEach
  void open() {
    store = Store.open(StoreConfig.sqlite(dir));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void offer_beyondCapacity_droppedAndCounted() throws Exception {
    var gated = new GatedStore(store.traces());
    try (var writer = new TraceWriter(gated, 2, 1, Duration.ofMillis(20))) {
      writer.offer(bareTrace(p, "t0", T0), List.of());
      assertThat(gated.entered.await(5, TimeUnit.SECONDS)).isTrue();

      boolean first = writer.offer(bareTrace(p, "t1", T0), List.of());
      boolean second = writer.offer(bareTrace(p, "t2", T0), List.of());
      boolean overflow = writer.offer(bareTrace(p, "t3", T0), List.of());

      assertThat(List.of(first, second, overflow)).containsExactly(true, true, false);
      assertThat(writer.dropped()).isEqualTo(1);
      assertThat(writer.queueDepth()).isEqualTo(2);
      gated.gate.countDown();
      writer.flush();
      assertThat(writer.written()).isEqualTo(3);
      assertThat(store.traces().listTraces(TraceQuery.all(p, 10)).totalItems()).isEqualTo(3);
    }
  }

  @Test
  void flush_commitsEverythingOfferedBefore() {
    try (var writer = new TraceWriter(store.traces(), 1000, 64, Duration.ofMillis(20))) {
      for (int i = 0; i < 300; i++) {
        writer.offer(bareTrace(p, "t" + i, T0.plusMillis(i)),
            List.of(generation(p, "t" + i, "g" + i, T0, "0.01"), span(p, "t" + i, "s" + i, T0)));
      }

      writer.flush();

      assertThat(writer.written()).isEqualTo(300);
      assertThat(writer.queueDepth()).isZero();
      assertThat(store.traces().listTraces(TraceQuery.all(p, 10)).totalItems()).isEqualTo(300);
      assertThat(store.traces().findTrace(p, "t7").orElseThrow().totalCost())
          .isEqualByComparingTo("0.01");
    }
  }

  @Test
  void close_flushesThenRefusesOffers() {
    var writer = new TraceWriter(store.traces(), 100, 10, Duration.ofMillis(20));
    writer.offer(null, List.of(span(p, "late", "late-s", T0)));

    writer.close();

    assertThat(store.traces().observationsOf(p, "late")).hasSize(1);
    assertThat(writer.offer(bareTrace(p, "after", T0), List.of())).isFalse();
    assertThat(writer.dropped()).isEqualTo(1);
  }

  @Test
  void write_storeFailing_retriedThenCountedAsFailedAndDropped() {
    Store broken = Store.open(StoreConfig.sqlite(dir.resolve("broken")));
    broken.close();
    try (var writer = new TraceWriter(broken.traces(), 10, 10, Duration.ofMillis(20))) {
      writer.offer(bareTrace(p, "lost", T0), List.of());
      CompletableFuture<Void> acked = writer.submit(TraceBatch.of(List.of(),
          List.of(span(p, "lost", "lost-s", T0))), Duration.ofSeconds(5));

      writer.flush();

      assertThat(writer.failed()).isEqualTo(2);
      assertThat(writer.dropped()).isEqualTo(2);
      assertThat(writer.written()).isZero();
      assertThat(acked).isCompletedExceptionally();
    }
  }

  @Test
  void submit_batchesSharingATransaction_eachFinishedByItsOwnFinisher() throws Exception {
    var gated = new GatedStore(store.traces());
    try (var writer = new TraceWriter(gated, 10, 10, Duration.ofMillis(20))) {
      writer.offer(bareTrace(p, "first", T0), List.of());
      assertThat(gated.entered.await(5, TimeUnit.SECONDS)).isTrue();
      var a = writer.submit(new TraceBatch(List.of(), List.of(span(p, "fin", "fin-a", T0)),
          List.of(), List.of(), (merged, incoming, isNew) -> renamed(merged, "by-a")),
          Duration.ofSeconds(5));
      var b = writer.submit(new TraceBatch(List.of(), List.of(span(p, "fin", "fin-b", T0)),
          List.of(), List.of(), (merged, incoming, isNew) -> renamed(merged, "by-b")),
          Duration.ofSeconds(5));
      var none = writer.submit(TraceBatch.of(List.of(), List.of(span(p, "fin", "fin-c", T0))),
          Duration.ofSeconds(5));

      gated.gate.countDown();
      CompletableFuture.allOf(a, b, none).get(10, TimeUnit.SECONDS);

      assertThat(gated.writes).hasValue(2);
      assertThat(store.traces().observationsOf(p, "fin"))
          .extracting(o -> o.id() + "=" + o.name())
          .containsExactlyInAnyOrder("fin-a=by-a", "fin-b=by-b", "fin-c=retrieve");
    }
  }

  private static Observation renamed(Observation o, String name) {
    return new Observation(o.id(), o.traceId(), o.projectId(), o.parentObservationId(),
        o.type(), name, o.startTime(), o.endTime(), o.completionStartTime(), o.model(),
        o.modelParameters(), o.input(), o.output(), o.metadata(), o.level(),
        o.statusMessage(), o.usage(), o.cost(), o.promptName(), o.promptVersion(),
        o.environment());
  }

  @Test
  void twoWriters_batchOnOtherRows_committedWhileTheFirstIsHeld() throws Exception {
    var gated = new GatedStore(store.traces(), b -> b.traces().stream()
        .anyMatch(t -> t.id().equals("held")));
    try (var writer = new TraceWriter(gated, 10, 10, Duration.ofMillis(20), 2)) {
      var held = writer.submit(TraceBatch.of(List.of(bareTrace(p, "held", T0)), List.of()),
          Duration.ofSeconds(5));
      assertThat(gated.entered.await(5, TimeUnit.SECONDS)).isTrue();

      writer.submit(TraceBatch.of(List.of(bareTrace(p, "other", T0)),
          List.of(span(p, "other", "other-s", T0))), Duration.ofSeconds(5))
          .get(5, TimeUnit.SECONDS);

      assertThat(held).isNotDone();
      assertThat(store.traces().findTrace(p, "other")).isPresent();
      gated.gate.countDown();
      held.get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void twoWriters_updateOfARowInFlight_waitsForItsCreate_thenMergesIntoIt() throws Exception {
    var gated = new GatedStore(store.traces(), b -> !b.traces().isEmpty());
    try (var writer = new TraceWriter(gated, 10, 10, Duration.ofMillis(20), 2)) {
      Observation created = generation(p, "ord", "ord-g", T0, "0.5");
      var create = writer.submit(TraceBatch.of(List.of(bareTrace(p, "ord", T0)),
          List.of(created)), Duration.ofSeconds(5));
      assertThat(gated.entered.await(5, TimeUnit.SECONDS)).isTrue();
      Observation end = new Observation("ord-g", "ord", p, null, created.type(), null,
          created.startTime(), created.endTime().plusSeconds(9), null, null, null, null,
          "{\"done\":true}", null, created.level(), null, null, null, null, null, null);
      var update = writer.submit(new TraceBatch(List.of(), List.of(), List.of(end), List.of()),
          Duration.ofSeconds(5));

      Thread.sleep(300);
      assertThat(update).as("the update waits for the create in flight").isNotDone();
      assertThat(gated.writes).hasValue(1);
      gated.gate.countDown();
      CompletableFuture.allOf(create, update).get(5, TimeUnit.SECONDS);

      Observation merged = store.traces().observationsOf(p, "ord").get(0);
      assertThat(merged.name()).isEqualTo(created.name());
      assertThat(merged.model()).isEqualTo(created.model());
      assertThat(merged.output()).isEqualTo("{\"done\":true}");
      assertThat(merged.endTime()).isEqualTo(created.endTime().plusSeconds(9));
    }
  }

  @Test
  void twoWriters_flush_waitsForTheOtherWritersBatch() throws Exception {
    var gated = new GatedStore(store.traces(), b -> b.traces().stream()
        .anyMatch(t -> t.id().equals("held")));
    try (var writer = new TraceWriter(gated, 10, 10, Duration.ofMillis(20), 2)) {
      writer.offer(bareTrace(p, "held", T0), List.of());
      assertThat(gated.entered.await(5, TimeUnit.SECONDS)).isTrue();
      writer.offer(bareTrace(p, "free", T0), List.of());

      var flushed = CompletableFuture.runAsync(writer::flush);
      Thread.sleep(300);
      assertThat(flushed).as("flush returns only once the held batch is written").isNotDone();
      gated.gate.countDown();
      flushed.get(5, TimeUnit.SECONDS);
      assertThat(store.traces().findTrace(p, "held")).isPresent();
      assertThat(store.traces().findTrace(p, "free")).isPresent();
    }
  }

  /**
   * The real store behind a gate, so a test can hold a writer inside a write: every write, or
   * those {@code held} picks.
   */
  private static final class GatedStore implements TraceStore {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch gate = new CountDownLatch(1);
    final AtomicInteger writes = new AtomicInteger();
    private final TraceStore delegate;
    private final java.util.function.Predicate<TraceBatch> held;

    GatedStore(TraceStore delegate) {
      this(delegate, b -> true);
    }

    GatedStore(TraceStore delegate, java.util.function.Predicate<TraceBatch> held) {
      this.delegate = delegate;
      this.held = held;
    }

    @Override
    public void write(TraceBatch batch) {
      writes.incrementAndGet();
      if (held.test(batch)) {
        entered.countDown();
        try {
          gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      delegate.write(batch);
    }

    @Override
    public int delete(String projectId, Collection<String> traceIds) {
      return delegate.delete(projectId, traceIds);
    }

    @Override
    public long deleteOlderThan(java.time.Instant cutoff) {
      return delegate.deleteOlderThan(cutoff);
    }

    @Override
    public Optional<TraceSummary> findTrace(String projectId, String traceId) {
      return delegate.findTrace(projectId, traceId);
    }

    @Override
    public List<Observation> observationsOf(String projectId, String traceId) {
      return delegate.observationsOf(projectId, traceId);
    }

    @Override
    public Map<String, List<String>> observationIds(String projectId,
        Collection<String> traceIds) {
      return delegate.observationIds(projectId, traceIds);
    }

    @Override
    public Page<TraceSummary> listTraces(TraceQuery q) {
      return delegate.listTraces(q);
    }

    @Override
    public Page<Observation> listObservations(ObservationQuery q) {
      return delegate.listObservations(q);
    }

    @Override
    public List<DailyMetrics> daily(DailyQuery q) {
      return delegate.daily(q);
    }
  }
}
