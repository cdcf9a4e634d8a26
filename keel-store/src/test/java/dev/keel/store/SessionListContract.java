package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.trace.Trace;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sessions list pages and totals: the page's rows and the total come from one grouping
 * (a window count), and a page past the end still reports the total. Each dialect's IT
 * extends it.
 */
abstract class SessionListContract {

  private static final Instant T0 = Instant.parse("2025-05-01T00:00:00Z");

  private Store store;
  private final String p = Fixtures.newProject();

  protected abstract Store openStore() throws Exception;

  protected void dropStore() throws Exception {
  }

  @BeforeEach
  void open() throws Exception {
    store = openStore();
    // Sessions s0..s24, session i started at T0 + i minutes with i % 3 + 1 traces; one
    // environment "staging" on every fifth session; and traces without a session.
    var traces = new ArrayList<Trace>();
    for (int i = 0; i < 25; i++) {
      for (int j = 0; j <= i % 3; j++) {
        traces.add(new Trace("t" + i + "-" + j, p, "chat", T0.plusSeconds(i * 60L + j), null,
            "s" + i, null, null, null, List.of(), null, null, i % 5 == 0 ? "staging" : null,
            false));
      }
    }
    traces.add(new Trace("loose", p, "chat", T0, null, null, null, null, null, List.of(),
        null, null, null, false));
    store.traces().write(traces, List.of());
  }

  @AfterEach
  void close() throws Exception {
    store.close();
    dropStore();
  }

  @Test
  void list_pagesNewestFirst_withTheTotalOnEveryPage() {
    Page<SessionSummary> first = store.sessions().list(new SessionQuery(p, null, null, null, 1,
        10));
    Page<SessionSummary> last = store.sessions().list(new SessionQuery(p, null, null, null, 3,
        10));

    assertThat(first.items()).extracting(SessionSummary::id)
        .containsExactly("s24", "s23", "s22", "s21", "s20", "s19", "s18", "s17", "s16", "s15");
    assertThat(first.items().get(0).traceCount()).isEqualTo(1);
    assertThat(first.items().get(1).traceCount()).isEqualTo(3);
    assertThat(first.totalItems()).isEqualTo(25);
    assertThat(last.items()).extracting(SessionSummary::id)
        .containsExactly("s4", "s3", "s2", "s1", "s0");
    assertThat(last.totalItems()).isEqualTo(25);
    assertThat(last.totalPages()).isEqualTo(3);
  }

  @Test
  void list_pagePastTheEnd_isEmpty_butCountsTheSessions() {
    Page<SessionSummary> page = store.sessions().list(new SessionQuery(p, null, null, null, 9,
        10));

    assertThat(page.items()).isEmpty();
    assertThat(page.totalItems()).isEqualTo(25);
  }

  @Test
  void list_filtered_countsOnlyTheMatchingSessions() {
    Page<SessionSummary> staging = store.sessions().list(new SessionQuery(p, null, null,
        "staging", 1, 2));
    Page<SessionSummary> ranged = store.sessions().list(new SessionQuery(p,
        T0.plusSeconds(10 * 60), T0.plusSeconds(20 * 60), null, 1, 50));

    assertThat(staging.items()).extracting(SessionSummary::id).containsExactly("s20", "s15");
    assertThat(staging.totalItems()).isEqualTo(5);
    assertThat(ranged.items()).hasSize(10);
    assertThat(ranged.items().get(0).id()).isEqualTo("s19");
    assertThat(ranged.totalItems()).isEqualTo(10);
  }
}
