package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.trace.Trace;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TraceStore#browseTraces}: keyset pages give the offset pages' rows (ties on the
 * timestamp included), filters apply to both, and the count stops at the cap. Each dialect's
 * IT extends it.
 */
abstract class TraceBrowseContract {

  private static final Instant T0 = Instant.parse("2025-06-01T00:00:00Z");

  private Store store;
  private final String p = Fixtures.newProject();

  protected abstract Store openStore() throws Exception;

  protected void dropStore() throws Exception {
  }

  @BeforeEach
  void open() throws Exception {
    store = openStore();
    // 23 traces; every three share a timestamp (ties broken by id), users alternate.
    var traces = new ArrayList<Trace>();
    for (int i = 0; i < 23; i++) {
      traces.add(new Trace(String.format("t%02d", i), p, "chat", T0.plusSeconds(i / 3),
          i % 2 == 0 ? "even" : "odd", null, null, null, null, List.of(), null, null, null,
          false));
    }
    store.traces().write(traces, List.of());
  }

  @AfterEach
  void close() throws Exception {
    store.close();
    dropStore();
  }

  @Test
  void browse_followingTheLastRow_givesTheOffsetPages() {
    for (String user : new String[] {null, "odd"}) {
      List<String> byOffset = new ArrayList<>();
      List<String> byKeyset = new ArrayList<>();
      TraceCursor after = null;
      for (int page = 1; page <= 6; page++) {
        byOffset.addAll(ids(store.traces().listTraces(query(user, page, 4))));
        Page<TraceSummary> keyset = store.traces().browseTraces(query(user, page, 4), after,
            1_000);
        byKeyset.addAll(ids(keyset));
        if (!keyset.items().isEmpty()) {
          after = TraceCursor.after(keyset.items().get(keyset.items().size() - 1));
        }
      }
      assertThat(byKeyset).as("user %s", user).isEqualTo(byOffset)
          .hasSize(user == null ? 23 : 11).doesNotHaveDuplicates();
    }
    assertThat(ids(store.traces().browseTraces(query(null, 1, 3), null, 1_000)))
        .containsExactly("t22", "t21", "t20");
  }

  @Test
  void browse_countsUpToTheCap_andOneMoreWhenMoreMatch() {
    assertThat(store.traces().browseTraces(query(null, 1, 4), null, 5).totalItems())
        .isEqualTo(6);
    assertThat(store.traces().browseTraces(query(null, 1, 4), null, 23).totalItems())
        .isEqualTo(23);
    assertThat(store.traces().browseTraces(query(null, 1, 4), null, 1_000).totalItems())
        .isEqualTo(23);
    assertThat(store.traces().browseTraces(query("even", 2, 4), null, 1_000).totalItems())
        .isEqualTo(12);
    assertThatThrownBy(() -> store.traces().browseTraces(query(null, 1, 4), null, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("countCap");
  }

  @Test
  void cursor_roundTrips_andNamesABadToken() {
    var cursor = new TraceCursor(T0.plusNanos(123_000), "a.b c");
    assertThat(TraceCursor.decode(cursor.encode())).isEqualTo(cursor);
    for (String bad : new String[] {"", "123", "x.t1", ".t1", "12."}) {
      assertThatThrownBy(() -> TraceCursor.decode(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("after must be").hasMessageContaining(bad);
    }
  }

  private TraceQuery query(String user, int page, int limit) {
    return new TraceQuery(p, null, null, user, null, null, null, null, page, limit);
  }

  private static List<String> ids(Page<TraceSummary> page) {
    return page.items().stream().map(t -> t.trace().id()).toList();
  }
}
