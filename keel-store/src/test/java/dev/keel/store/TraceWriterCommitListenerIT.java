package dev.keel.store;

import static dev.keel.store.Fixtures.T0;
import static dev.keel.store.Fixtures.bareTrace;
import static dev.keel.store.Fixtures.newProject;
import static dev.keel.store.Fixtures.span;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trace writer tells its listener about batches only once they are committed. */
class TraceWriterCommitListenerIT {

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
  void onCommit_seesEveryCommittedTraceAndObservation_storedWhenTold() {
    var seen = new CopyOnWriteArrayList<String>();
    var storedWhenTold = new CopyOnWriteArrayList<Boolean>();
    try (var writer = new TraceWriter(store.traces(), 100, 10, Duration.ofMillis(20))) {
      writer.onCommit(batch -> {
        batch.traces().forEach(t -> {
          seen.add(t.id());
          storedWhenTold.add(store.traces().findTrace(p, t.id()).isPresent());
        });
        batch.observations().forEach(o -> seen.add(o.id()));
      });

      writer.offer(bareTrace(p, "a", T0), List.of(span(p, "a", "a-s", T0)));
      writer.offer(null, List.of(span(p, "b", "b-s", T0)));
      writer.flush();
    }

    assertThat(seen).containsExactlyInAnyOrder("a", "a-s", "b-s");
    assertThat(storedWhenTold).containsOnly(true);
  }

  @Test
  void onCommit_listenerThatThrows_writerKeepsWriting() {
    try (var writer = new TraceWriter(store.traces(), 100, 10, Duration.ofMillis(20))) {
      writer.onCommit(batch -> {
        throw new IllegalStateException("listener bug");
      });

      writer.offer(bareTrace(p, "x", T0), List.of());
      writer.flush();
      writer.offer(bareTrace(p, "y", T0), List.of());
      writer.flush();

      assertThat(writer.written()).isEqualTo(2);
      assertThat(store.traces().findTrace(p, "y")).isPresent();
    }
  }
}
