package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.cost.Cost;
import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.ObservationType;
import dev.keel.core.trace.Trace;
import dev.keel.core.usage.Usage;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hourly rollups give the numbers the raw rows give, after first writes, late and updated
 * rows, and deletes: costs against the grouped queries Keel ran before the rollups
 * ({@link RawCosts}), daily metrics against {@link TraceStore#daily}, latency percentiles
 * against the same buckets filled from the raw latencies. Each dialect's IT extends it.
 */
abstract class RollupContract {

  private static final Instant DAY1 = Instant.parse("2025-03-01T00:00:00Z");
  private static final Instant FROM = DAY1.minus(Duration.ofDays(1));
  private static final Instant TO = DAY1.plus(Duration.ofDays(3));
  private static final String[] MODELS = {"gpt-4o", "claude", null};
  private static final String[] USERS = {"alice", "bob", null};

  private Store store;
  private final String p = Fixtures.newProject();

  protected abstract Store openStore() throws Exception;

  /** A connection of its own to the store's database, for the raw oracle. */
  protected abstract Connection connect() throws Exception;

  protected void dropStore() throws Exception {
  }

  @BeforeEach
  void open() throws Exception {
    store = openStore();
  }

  @AfterEach
  void close() throws Exception {
    store.close();
    dropStore();
  }

  @Test
  void rollups_afterFirstWrites_equalRawRows() throws Exception {
    writeTraffic(40);

    assertEqualsRaw();
  }

  @Test
  void rollups_afterUpdatesAndLateRows_equalRawRows() throws Exception {
    writeTraffic(40);
    assertEqualsRaw();

    // Each change alone, then a read: a trace arriving after its observation (in another
    // hour), a key and team that change, updated generations (cost, tokens, level, start) and
    // a new generation in an hour already read.
    store.traces().write(List.of(trace("late", DAY1.plusSeconds(1_000), "carol",
        "{\"keel_key_id\":\"k9\"}")), List.of());
    assertEqualsRaw();
    store.traces().write(List.of(trace("t3", DAY1.plusSeconds(3 * 1_800), "bob",
        "{\"keel_key_id\":\"k-new\",\"keel_key_team\":\"ops\"}")), List.of());
    assertEqualsRaw();
    store.traces().write(List.of(), List.of(
        gen("t5-g2", "t5", "claude", DAY1.plusSeconds(5 * 1_800 + 3_000), "0.9", Level.ERROR,
            77_000, 3)));
    assertEqualsRaw();
    // An update before its create is stored provisionally (in another trace and hour); the
    // create moves it.
    store.traces().write(new TraceBatch(null, null, List.of(new Observation("moved", "nowhere",
        p, null, ObservationType.GENERATION, null, DAY1.plusSeconds(20 * 3_600),
        DAY1.plusSeconds(20 * 3_600 + 2), null, "claude", null, null, "\"out\"", null, null,
        null, null, null, null, null, null)), null));
    assertEqualsRaw();
    store.traces().write(List.of(), List.of(gen("moved", "t4", "gpt-4o",
        DAY1.plusSeconds(4 * 1_800 + 10), "0.07", Level.DEFAULT, 300, 0)));
    assertEqualsRaw();
    store.traces().write(List.of(), List.of(
        gen("t7-g1", "t7", "gpt-4o", DAY1.plusSeconds(7 * 1_800 + 60), null, Level.DEFAULT,
            1_234, 0),
        gen("extra", "t2", "gpt-4o", DAY1.plusSeconds(2 * 1_800 + 5), "0.01", Level.DEFAULT,
            15, 0)));

    assertEqualsRaw();
  }

  @Test
  void rollups_afterDeletes_equalRawRows() throws Exception {
    writeTraffic(40);
    store.traces().write(List.of(trace("empty", DAY1.plusSeconds(80_000), "alice", null)),
        List.of());
    assertEqualsRaw();

    store.traces().delete(p, List.of("empty"));
    assertEqualsRaw();
    store.traces().delete(p, List.of("t1", "t2", "t30"));
    assertEqualsRaw();

    store.traces().deleteOlderThan(DAY1.plusSeconds(10 * 1_800));
    assertEqualsRaw();
  }

  @Test
  void refresher_withoutAnyReader_clearsEveryDirtyHour_aBoundedNumberPerTick()
      throws Exception {
    writeTraffic(40);
    long dirty = dirtyHours();
    assertThat(dirty).as("dirty hours after the writes").isGreaterThan(10);

    try (var refresher = new RollupRefresher(store.db(), 4)) {
      int ticks = 0;
      int refreshed;
      while ((refreshed = refresher.tick()) > 0) {
        ticks++;
        assertThat(refreshed).isLessThanOrEqualTo(4);
        assertThat(dirtyHours()).isEqualTo(Math.max(0, dirty - 4L * ticks));
      }
      assertThat(ticks).isEqualTo((int) ((dirty + 3) / 4));
    }
    assertThat(marks()).as("dirty marks left").isZero();
    // Nothing is dirty, so the reads below come from the tables the refresher alone filled.
    assertEqualsRaw();
    assertThat(marks()).isZero();
  }

  @Test
  void refresher_leavesAnHourItJustRecomputed_whileReadersStayExact() throws Exception {
    try (var refresher = new RollupRefresher(store.db(), 1_000)
        .revisitAfter(Duration.ofMinutes(10))) {
      writeTraffic(40);
      assertThat(refresher.tick()).isPositive();
      assertThat(marks()).isZero();

      // One more call in the first hour: that hour is dirty again at once.
      store.traces().write(List.of(trace("extra", DAY1, USERS[0], null)), List.of(gen("extra-g",
          "extra", MODELS[0], DAY1.plusSeconds(10), "0.005", Level.DEFAULT, 300, 0)));

      assertThat(marks()).isPositive();
      assertThat(refresher.tick()).as("hours recomputed a moment ago").isZero();
      assertThat(marks()).isPositive();
      assertEqualsRaw();  // a reader recomputes what it reads, marks included
    }
    store.traces().write(List.of(trace("extra2", DAY1, USERS[1], null)), List.of(gen("extra2-g",
        "extra2", MODELS[1], DAY1.plusSeconds(20), "0.004", Level.DEFAULT, 250, 0)));
    try (var refresher = new RollupRefresher(store.db(), 1_000).revisitAfter(Duration.ZERO)) {
      assertThat(refresher.tick()).isPositive();
      assertThat(marks()).isZero();
    }
  }

  @Test
  void refresher_scheduledByTheStore_clearsTheMarksOfLaterWrites() throws Exception {
    store.refreshRollupsEvery(Duration.ofMillis(20));
    writeTraffic(40);
    store.traces().delete(p, List.of("t3"));

    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (marks() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(marks()).as("dirty marks left after a minute of ticks").isZero();
    assertEqualsRaw();
  }

  @Test
  void costs_rangeNotOnTheHour_countsOnlyItsPart() throws Exception {
    writeTraffic(40);
    Instant from = DAY1.plusSeconds(1_000);
    Instant to = DAY1.plusSeconds(9 * 3_600 + 1_234);

    for (CostGroupBy by : CostGroupBy.values()) {
      assertThat(canonical(store.reports().costs(p, by, from, to)))
          .as("costs by %s", by).isEqualTo(canonical(raw(by, from, to)));
    }
    Instant inOneHour = DAY1.plusSeconds(3_700);
    assertThat(canonical(store.reports().costs(p, CostGroupBy.USER, inOneHour,
        inOneHour.plusSeconds(600)))).isEqualTo(canonical(raw(CostGroupBy.USER, inOneHour,
            inOneHour.plusSeconds(600))));
  }

  @Test
  void calls_latencyPercentiles_equalTheRawLatenciesBucketed() {
    writeTraffic(40);

    List<CallStats> calls = store.reports().calls(p, FROM, TO);

    var expected = new HashMap<String, LatencyHistogram>();
    var counts = new HashMap<String, Long>();
    for (Observation o : allGenerations()) {
      String key = o.model() + "|" + o.promptName() + "|" + o.promptVersion();
      counts.merge(key, 1L, Long::sum);
      if (o.endTime() != null) {
        expected.computeIfAbsent(key, k -> new LatencyHistogram())
            .addMicros(Duration.between(o.startTime(), o.endTime()).toNanos() / 1000);
      }
    }
    assertThat(calls).hasSize(counts.size());
    for (CallStats s : calls) {
      String key = s.model() + "|" + s.promptName() + "|" + s.promptVersion();
      LatencyHistogram h = expected.getOrDefault(key, new LatencyHistogram());
      assertThat(s.generations()).as(key).isEqualTo(counts.get(key));
      assertThat(s.latency().percentileSeconds(0.5)).as(key).isEqualTo(h.percentileSeconds(0.5));
      assertThat(s.latency().percentileSeconds(0.95)).as(key)
          .isEqualTo(h.percentileSeconds(0.95));
    }
  }

  @Test
  void daily_byTraceName_isRefused() {
    assertThatThrownBy(() -> store.reports().daily(new DailyQuery(p, "chat", null, null, null,
        null))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trace name");
  }

  private void assertEqualsRaw() throws Exception {
    for (CostGroupBy by : CostGroupBy.values()) {
      assertThat(canonical(store.reports().costs(p, by, FROM, TO)))
          .as("costs by %s", by).isEqualTo(canonical(raw(by, FROM, TO)));
    }
    for (String user : new String[] {null, "alice", "bob", "carol"}) {
      DailyQuery q = new DailyQuery(p, null, user, null, null, null);
      assertThat(store.reports().daily(q)).as("daily of %s", user)
          .isEqualTo(store.traces().daily(q));
    }
    DailyQuery ranged = new DailyQuery(p, null, null, null, DAY1.plusSeconds(5_400), TO);
    assertThat(store.reports().daily(ranged)).isEqualTo(store.traces().daily(ranged));
  }

  private long marks() throws Exception {
    return count("SELECT COUNT(*) FROM rollup_dirty WHERE project_id = ?");
  }

  private long dirtyHours() throws Exception {
    return count("SELECT COUNT(DISTINCT hour) FROM rollup_dirty WHERE project_id = ?");
  }

  private long count(String sql) throws Exception {
    try (Connection c = connect(); var ps = c.prepareStatement(sql)) {
      ps.setString(1, p);
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private List<CostRow> raw(CostGroupBy by, Instant from, Instant to) throws Exception {
    try (Connection c = connect()) {
      Dialect dialect = c.getMetaData().getURL().startsWith("jdbc:sqlite")
          ? Dialect.SQLITE : Dialect.POSTGRESQL;
      return new RawCosts(dialect).rows(c, p, by, RawCosts.micros(from), RawCosts.micros(to));
    }
  }

  /** Rows as sorted text, money without trailing zeros, so equal sums compare equal. */
  private static List<String> canonical(List<CostRow> rows) {
    return rows.stream().map(r -> String.join("|", r.group(), r.model(),
        String.valueOf(r.generations()), String.valueOf(r.errors()), plain(r.costUsd()),
        String.valueOf(r.unknownCost()), String.valueOf(r.inputTokens()),
        String.valueOf(r.outputTokens()), String.valueOf(r.cachedInputTokens()),
        String.valueOf(r.cacheHits()), plain(r.cacheSavingUsd()),
        plain(r.routingSavingUsd()))).sorted().toList();
  }

  private static String plain(BigDecimal d) {
    return d.stripTrailingZeros().toPlainString();
  }

  /**
   * {@code n} traces half an hour apart from DAY1, each with three generations of mixed
   * models, prompts, users, keys, cache hits, savings, errors and unpriced calls; trace
   * "late"'s observations come without their trace.
   */
  private void writeTraffic(int n) {
    var traces = new ArrayList<Trace>();
    var gens = new ArrayList<Observation>();
    for (int i = 0; i < n; i++) {
      Instant at = DAY1.plusSeconds(i * 1_800L);
      String meta = i % 4 == 0 ? null : "{\"keel_key_id\":\"k" + (i % 3)
          + "\",\"keel_key_user\":\"" + USERS[i % 2] + "\"" + (i % 5 == 0 ? "" :
          ",\"keel_key_team\":\"t" + (i % 2) + "\"") + "}";
      traces.add(trace("t" + i, at, USERS[i % 3], meta));
      for (int j = 0; j < 3; j++) {
        String cost = (i + j) % 7 == 0 ? null : "0.00" + (i + j + 1);
        Level level = (i * j) % 11 == 5 ? Level.ERROR : Level.DEFAULT;
        gens.add(gen("t" + i + "-g" + j, "t" + i, MODELS[(i + j) % 3],
            at.plusSeconds(j * 1_500L), cost, level, 200 + 97L * ((i * 7 + j * 13) % 50), j));
      }
    }
    gens.add(gen("late-g0", "late", "gpt-4o", DAY1.plusSeconds(7_100), "0.02", Level.DEFAULT,
        640, 1));
    store.traces().write(traces, gens);
  }

  private List<Observation> allGenerations() {
    var out = new ArrayList<Observation>();
    for (TraceSummary t : store.traces().listTraces(new TraceQuery(p, null, null, null, null,
        null, null, null, 1, 1000)).items()) {
      out.addAll(store.traces().observationsOf(p, t.trace().id()));
    }
    out.addAll(store.traces().observationsOf(p, "late"));
    return out;
  }

  private Trace trace(String id, Instant at, String user, String metadata) {
    return new Trace(id, p, "chat", at, user, null, null, null, metadata, List.of(), null,
        null, null, false);
  }

  /** A generation; kind 1 is a cache hit with a saving, kind 2 a routed call with one. */
  private Observation gen(String id, String trace, String model, Instant start, String cost,
      Level level, long millis, int kind) {
    String meta = switch (kind) {
      case 1 -> "{\"cache_hit\":true,\"cache_saving_usd\":\"0.0125\"}";
      case 2 -> "{\"routing_saving_usd\":\"0.333\"}";
      default -> null;
    };
    Usage usage = new Usage(kind == 2
        ? Map.of(Usage.INPUT, 100L, Usage.INPUT_CACHED, 40L, Usage.OUTPUT, 12L)
        : Map.of(Usage.INPUT, 80L + millis % 7, Usage.OUTPUT, 9L), false);
    Cost c = cost == null ? null : new Cost(Map.of(Cost.TOTAL, new BigDecimal(cost)));
    String prompt = kind == 0 ? null : "greet";
    Integer version = kind == 0 ? null : kind;
    return new Observation(id, trace, p, null, ObservationType.GENERATION, "llm", start,
        kind == 3 ? null : start.plusMillis(millis), null, model, null, null, null, meta,
        level, null, usage, c, prompt, version, null);
  }
}
