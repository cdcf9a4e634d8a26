package dev.keel.store;

import static dev.keel.store.Fixtures.T0;
import static dev.keel.store.Fixtures.bareTrace;
import static dev.keel.store.Fixtures.generation;
import static dev.keel.store.Fixtures.newProject;
import static dev.keel.store.Fixtures.span;
import static dev.keel.store.Fixtures.trace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.cost.Cost;
import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.ObservationType;
import dev.keel.core.trace.Trace;
import dev.keel.core.usage.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The behaviour every store must have; each dialect's IT extends it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TraceStoreContract {

  private Store store;
  private TraceStore traces;
  private final String p = newProject();

  /** Opens a fresh, empty store for this test class. */
  protected abstract Store openStore() throws Exception;

  /** Removes what {@link #openStore()} created. */
  protected void dropStore() throws Exception {
  }

  @BeforeAll
  void open() throws Exception {
    store = openStore();
    traces = store.traces();
  }

  @AfterAll
  void close() throws Exception {
    store.close();
    dropStore();
  }

  @Test
  void write_thenRead_roundTripsEveryField() {
    Trace t = trace(p, "rt", T0);
    Observation g = generation(p, "rt", "rt-g", T0.plusMillis(10), "0.00123");
    Observation s = span(p, "rt", "rt-s", T0);

    traces.write(List.of(t), List.of(g, s));

    TraceSummary found = traces.findTrace(p, "rt").orElseThrow();
    assertThat(found.trace()).isEqualTo(t);
    assertThat(found.totalCost()).isEqualByComparingTo("0.00123");
    assertThat(found.costIncomplete()).isFalse();
    assertThat(found.observationCount()).isEqualTo(2);
    assertThat(found.latencySeconds()).isEqualTo(1.51);
    assertThat(traces.observationsOf(p, "rt")).containsExactly(s, g);
  }

  @Test
  void write_sameBatchTwice_keepsRollups() {
    List<Trace> ts = List.of(trace(p, "twice", T0));
    List<Observation> os = List.of(generation(p, "twice", "twice-1", T0, "0.5"),
        generation(p, "twice", "twice-2", T0.plusSeconds(1), "0.25"));

    traces.write(ts, os);
    traces.write(ts, os);

    TraceSummary found = traces.findTrace(p, "twice").orElseThrow();
    assertThat(found.totalCost()).isEqualByComparingTo("0.75");
    assertThat(found.observationCount()).isEqualTo(2);
    assertThat(found.trace().tags()).containsExactly("prod", "beta");
    assertThat(traces.observationsOf(p, "twice")).hasSize(2);
  }

  @Test
  void write_unknownCost_staysNullAndMarksIncomplete() {
    traces.write(List.of(trace(p, "unk", T0)),
        List.of(generation(p, "unk", "unk-1", T0, null), generation(p, "unk", "unk-2", T0, "1"),
            span(p, "unk", "unk-3", T0)));

    TraceSummary found = traces.findTrace(p, "unk").orElseThrow();

    assertThat(found.costIncomplete()).isTrue();
    assertThat(found.totalCost()).isEqualByComparingTo("1");
    assertThat(traces.observationsOf(p, "unk"))
        .filteredOn(o -> o.id().equals("unk-1")).singleElement()
        .extracting(Observation::cost).isNull();
  }

  @Test
  void write_spansWithoutCost_doNotMarkIncomplete() {
    traces.write(List.of(trace(p, "spans", T0)), List.of(span(p, "spans", "spans-1", T0)));

    TraceSummary found = traces.findTrace(p, "spans").orElseThrow();

    assertThat(found.costIncomplete()).isFalse();
    assertThat(found.totalCost()).isEqualByComparingTo("0");
  }

  @Test
  void write_observationsBeforeTrace_rollupsRightOnceTraceArrives() {
    traces.write(List.of(), List.of(generation(p, "late", "late-1", T0, "0.2")));

    traces.write(List.of(trace(p, "late", T0)), List.of());

    TraceSummary found = traces.findTrace(p, "late").orElseThrow();
    assertThat(found.totalCost()).isEqualByComparingTo("0.2");
    assertThat(found.observationCount()).isEqualTo(1);
  }

  @Test
  void write_updateWithNulls_keepsStoredFieldsAndUnionsTags() {
    traces.write(List.of(trace(p, "upd", T0)), List.of(generation(p, "upd", "upd-g", T0, "1")));
    Trace update = new Trace("upd", p, null, T0, null, null, null, "\"new\"", null,
        List.of("beta", "added"), null, null, "production", true);
    Observation obsUpdate = span(p, "upd", "upd-g", T0);

    traces.write(List.of(update), List.of(obsUpdate));

    Trace stored = traces.findTrace(p, "upd").orElseThrow().trace();
    assertThat(stored.name()).isEqualTo("chat");
    assertThat(stored.userId()).isEqualTo("user-1");
    assertThat(stored.output()).isEqualTo("\"new\"");
    assertThat(stored.tags()).containsExactly("prod", "beta", "added");
    Observation o = traces.observationsOf(p, "upd").get(0);
    assertThat(o.model()).isEqualTo("gpt-4o");
    assertThat(o.cost().total()).isEqualByComparingTo("1");
    assertThat(o.usage().get("input")).isEqualTo(80);
  }

  @Test
  void write_sameIdTwiceInOneBatch_mergesThem() {
    Trace first = trace(p, "dup", T0);
    Trace second = new Trace("dup", p, "renamed", T0, null, null, null, null, null,
        List.of("x"), null, null, "production", false);

    traces.write(List.of(first, second), List.of(generation(p, "dup", "dup-1", T0, "1"),
        span(p, "dup", "dup-1", T0)));

    TraceSummary found = traces.findTrace(p, "dup").orElseThrow();
    assertThat(found.trace().name()).isEqualTo("renamed");
    assertThat(found.trace().userId()).isEqualTo("user-1");
    assertThat(found.trace().tags()).containsExactly("prod", "beta", "x");
    assertThat(found.totalCost()).isEqualByComparingTo("1");
  }

  @Test
  void write_mergeRules_deepMergeMetadata_keepFirstTimestampAndEnvironment() {
    traces.write(List.of(trace(p, "mr", T0)), List.of());
    Trace later = new Trace("mr", p, null, T0.plusSeconds(60), null, null, null, null,
        "{\"a\":2,\"n\":{\"x\":1}}", List.of("new"), null, null, "dev", false);

    traces.write(List.of(later), List.of());
    traces.write(List.of(new Trace("mr", p, null, T0, null, null, null, null,
        "{\"n\":{\"y\":2}}", null, null, null, null, false)), List.of());

    Trace stored = traces.findTrace(p, "mr").orElseThrow().trace();
    assertThat(stored.timestamp()).isEqualTo(T0);
    assertThat(stored.environment()).isEqualTo("production");
    assertThat(stored.metadata()).isEqualTo("{\"a\":2,\"n\":{\"x\":1,\"y\":2}}");
    assertThat(stored.tags()).containsExactly("prod", "beta", "new");
    assertThat(stored.isPublic()).isTrue();
  }

  @Test
  void write_updateBeforeCreate_createSuppliesImmutableFields() {
    Observation update = new Observation("ubc-g", "random-trace", p, null,
        ObservationType.GENERATION, null, T0.plusSeconds(9), T0.plusSeconds(2), null, null,
        null, null, "\"out\"", null, null, null, null, null, null, null, null);
    traces.write(new TraceBatch(null, null, List.of(update), null));

    traces.write(List.of(trace(p, "ubc", T0)), List.of(generation(p, "ubc", "ubc-g", T0, "1")));

    List<Observation> stored = traces.observationsOf(p, "ubc");
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0).startTime()).isEqualTo(T0);
    assertThat(stored.get(0).endTime()).isEqualTo(T0.plusSeconds(2));
    assertThat(stored.get(0).output()).isEqualTo("\"out\"");
    assertThat(stored.get(0).model()).isEqualTo("gpt-4o");
    assertThat(traces.observationsOf(p, "random-trace")).isEmpty();
    assertThat(traces.findTrace(p, "ubc").orElseThrow().observationCount()).isEqualTo(1);
  }

  @Test
  void write_updateAfterCreate_keepsStartAndTrace() {
    traces.write(List.of(trace(p, "uac", T0)), List.of(generation(p, "uac", "uac-g", T0, "1")));
    Observation update = new Observation("uac-g", "other", p, null, ObservationType.SPAN, null,
        T0.plusSeconds(5), null, null, null, null, null, "\"done\"", null, null, null, null,
        null, null, null, null);

    traces.write(new TraceBatch(null, null, List.of(update), null));

    Observation o = traces.observationsOf(p, "uac").get(0);
    assertThat(o.startTime()).isEqualTo(T0);
    assertThat(o.type()).isEqualTo(ObservationType.GENERATION);
    assertThat(o.output()).isEqualTo("\"done\"");
  }

  @Test
  void write_batchMixingNewAndStoredIds_mergesStoredRowsAndInsertsNewOnes() {
    traces.write(List.of(trace(p, "mix", T0)), List.of(generation(p, "mix", "mix-1", T0, "1")));
    Observation update = new Observation("mix-1", "mix", p, null, ObservationType.GENERATION,
        null, T0.plusSeconds(9), T0.plusSeconds(4), null, null, null, null, "\"done\"",
        "{\"n\":{\"k\":1}}", null, null, null, null, null, null, null);
    Trace traceUpdate = new Trace("mix", p, null, T0.plusSeconds(60), null, null, null, null,
        null, List.of("late"), null, null, "dev", false);

    traces.write(new TraceBatch(List.of(traceUpdate, trace(p, "mix-new", T0)),
        List.of(generation(p, "mix", "mix-2", T0.plusSeconds(1), "0.5"),
            span(p, "mix-new", "mix-new-s", T0)),
        List.of(update), List.of()));

    TraceSummary mix = traces.findTrace(p, "mix").orElseThrow();
    assertThat(mix.trace().timestamp()).isEqualTo(T0);
    assertThat(mix.trace().environment()).isEqualTo("production");
    assertThat(mix.trace().tags()).containsExactly("prod", "beta", "late");
    assertThat(mix.trace().name()).isEqualTo("chat");
    assertThat(mix.totalCost()).isEqualByComparingTo("1.5");
    assertThat(mix.observationCount()).isEqualTo(2);
    Observation merged = traces.observationsOf(p, "mix").get(0);
    assertThat(merged.id()).isEqualTo("mix-1");
    assertThat(merged.startTime()).isEqualTo(T0);
    assertThat(merged.endTime()).isEqualTo(T0.plusSeconds(4));
    assertThat(merged.output()).isEqualTo("\"done\"");
    assertThat(merged.input()).isEqualTo("[{\"role\":\"user\"}]");
    assertThat(merged.metadata()).isEqualTo("{\"m\":true,\"n\":{\"k\":1}}");
    assertThat(merged.model()).isEqualTo("gpt-4o");
    assertThat(traces.findTrace(p, "mix-new").orElseThrow().observationCount()).isEqualTo(1);
    assertThat(traces.observationsOf(p, "mix-new")).containsExactly(
        span(p, "mix-new", "mix-new-s", T0));
  }

  @Test
  void write_updatesBeforeCreateAcrossBatches_thenCreateAndLaterUpdate_mergeInOrder() {
    Observation first = new Observation("ubx-g", "elsewhere", p, null,
        ObservationType.GENERATION, null, T0.plusSeconds(30), null, null, null, null, null,
        "\"partial\"", "{\"a\":{\"x\":1}}", null, null, null, null, null, null, null);
    Observation second = new Observation("ubx-g", "elsewhere", p, null,
        ObservationType.GENERATION, null, T0.plusSeconds(31), T0.plusSeconds(3), null, null,
        null, null, null, "{\"a\":{\"y\":2}}", null, null, null, null, null, null, null);
    traces.write(new TraceBatch(null, null, List.of(first), null));
    traces.write(new TraceBatch(null, null, List.of(second), null));

    traces.write(List.of(trace(p, "ubx", T0)), List.of(generation(p, "ubx", "ubx-g", T0, "2")));
    traces.write(new TraceBatch(null, null, List.of(new Observation("ubx-g", "other", p, null,
        ObservationType.SPAN, "renamed", T0.plusSeconds(50), null, null, null, null, null,
        null, null, null, null, null, null, null, null, null)), null));

    List<Observation> stored = traces.observationsOf(p, "ubx");
    assertThat(stored).hasSize(1);
    Observation o = stored.get(0);
    assertThat(o.startTime()).isEqualTo(T0);
    assertThat(o.endTime()).isEqualTo(T0.plusSeconds(3));
    assertThat(o.type()).isEqualTo(ObservationType.GENERATION);
    assertThat(o.name()).isEqualTo("renamed");
    assertThat(o.output()).isEqualTo("\"partial\"");
    assertThat(o.metadata()).isEqualTo("{\"m\":true,\"a\":{\"x\":1,\"y\":2}}");
    assertThat(o.cost().total()).isEqualByComparingTo("2");
    assertThat(traces.observationsOf(p, "elsewhere")).isEmpty();
    assertThat(traces.observationsOf(p, "other")).isEmpty();
    TraceSummary found = traces.findTrace(p, "ubx").orElseThrow();
    assertThat(found.observationCount()).isEqualTo(1);
    assertThat(found.totalCost()).isEqualByComparingTo("2");
  }

  @Test
  void write_updateWithEmptyObjectOrNoText_keepsStoredInputAndOutput() {
    traces.write(List.of(trace(p, "eo", T0)), List.of(generation(p, "eo", "eo-g", T0, "1"),
        span(p, "eo", "eo-s", T0)));
    Observation keep = new Observation("eo-g", "eo", p, null, ObservationType.GENERATION, null,
        T0, null, null, null, null, "{}", null, null, null, null, null, null, null, null, null);
    Observation fill = new Observation("eo-s", "eo", p, null, ObservationType.SPAN, null, T0,
        null, null, null, null, "{}", "\"out\"", null, null, null, null, null, null, null,
        null);

    traces.write(new TraceBatch(null, null, List.of(keep, fill), null));

    Observation g = traces.observationsOf(p, "eo").stream()
        .filter(o -> o.id().equals("eo-g")).findFirst().orElseThrow();
    assertThat(g.input()).isEqualTo("[{\"role\":\"user\"}]");
    assertThat(g.output()).isEqualTo("{\"role\":\"assistant\"}");
    Observation s = traces.observationsOf(p, "eo").stream()
        .filter(o -> o.id().equals("eo-s")).findFirst().orElseThrow();
    assertThat(s.input()).isEqualTo("{}");
    assertThat(s.output()).isEqualTo("\"out\"");
  }

  @Test
  void awaitingEstimate_onlyModelCallsWithTextAndNeitherUsageNorCost() {
    Observation bare = new Observation("ae-bare", "ae", p, null, ObservationType.GENERATION,
        null, T0, null, null, "gpt-4o", null, "\"hi\"", null, null, null, null, null, null,
        null, null, null);
    Observation noText = new Observation("ae-notext", "ae", p, null,
        ObservationType.GENERATION, null, T0, null, null, "gpt-4o", null, null, null, null,
        null, null, null, null, null, null, null);
    Observation failed = new Observation("ae-error", "ae", p, null, ObservationType.GENERATION,
        null, T0, null, null, "gpt-4o", null, "\"hi\"", null, null, Level.ERROR, null, null,
        null, null, null, null);
    Observation estimated = new Observation("ae-est", "ae", p, null, ObservationType.EMBEDDING,
        null, T0, null, null, "gpt-4o", null, "\"hi\"", null, null, null, null,
        new Usage(Map.of(Usage.INPUT, 3L), true), null, null, null, null);
    Observation reported = new Observation("ae-usage", "ae", p, null,
        ObservationType.GENERATION, null, T0, null, null, "gpt-4o", null, "\"hi\"", null,
        null, null, null, new Usage(Map.of(Usage.INPUT, 3L), false), null, null, null, null);
    Observation clientCost = new Observation("ae-cost", "ae", p, null,
        ObservationType.GENERATION, null, T0, null, null, "gpt-4o", null, "\"hi\"", null,
        null, null, null, null, new Cost(Map.of(Cost.TOTAL, BigDecimal.ONE)), null, null, null);
    traces.write(List.of(trace(p, "ae", T0)), List.of(bare, noText, failed, estimated,
        reported, clientCost, span(p, "ae", "ae-span", T0)));

    List<Observation> found = traces.awaitingEstimate(p, List.of("ae-bare", "ae-notext",
        "ae-error", "ae-est", "ae-usage", "ae-cost", "ae-span", "ae-missing"));

    assertThat(found).extracting(Observation::id)
        .containsExactlyInAnyOrder("ae-bare", "ae-est");
    assertThat(found).filteredOn(o -> o.id().equals("ae-bare")).singleElement()
        .extracting(Observation::input).isEqualTo("\"hi\"");
    assertThat(traces.awaitingEstimate("other-project", List.of("ae-bare"))).isEmpty();
  }

  @Test
  void write_storedIdTwiceInOneBatch_mergesBothOntoTheStoredRow() {
    traces.write(List.of(trace(p, "st2", T0)), List.of(generation(p, "st2", "st2-g", T0, "1")));
    Observation a = new Observation("st2-g", "st2", p, null, ObservationType.GENERATION, null,
        T0.plusSeconds(5), null, null, null, null, null, "\"a\"", "{\"k\":{\"a\":1}}",
        null, null, null, null, null, null, null);
    Observation b = new Observation("st2-g", "st2", p, null, ObservationType.GENERATION,
        "named", T0.plusSeconds(6), T0.plusSeconds(7), null, null, null, null, null,
        "{\"k\":{\"b\":2}}", null, null, null, null, null, null, null);

    traces.write(new TraceBatch(null, null, List.of(a, b), null));

    Observation o = traces.observationsOf(p, "st2").get(0);
    assertThat(o.startTime()).isEqualTo(T0);
    assertThat(o.endTime()).isEqualTo(T0.plusSeconds(7));
    assertThat(o.name()).isEqualTo("named");
    assertThat(o.output()).isEqualTo("\"a\"");
    assertThat(o.metadata()).isEqualTo("{\"m\":true,\"k\":{\"a\":1,\"b\":2}}");
    assertThat(o.model()).isEqualTo("gpt-4o");
    TraceSummary found = traces.findTrace(p, "st2").orElseThrow();
    assertThat(found.observationCount()).isEqualTo(1);
    assertThat(found.totalCost()).isEqualByComparingTo("1");
    assertThat(found.latencySeconds()).isEqualTo(7.0);
  }

  @Test
  void scores_upsertListDelete_andTraceDeleteCascades() {
    traces.write(List.of(trace(p, "sc", T0)), List.of(span(p, "sc", "sc-s", T0)));
    Score s1 = new Score("sc-1", p, "sc", "sc-s", null, null, "acc", 0.5, null,
        Score.DataType.NUMERIC, null, "first", null, null, null, null, T0);
    Score s1again = new Score("sc-1", p, "other", null, null, null, "acc", 0.7, null,
        Score.DataType.NUMERIC, null, null, null, null, null, "dev", T0.plusSeconds(5));

    traces.write(new TraceBatch(null, null, null, List.of(s1)));
    traces.write(new TraceBatch(null, null, null, List.of(s1again)));

    Score stored = store.scores().find(p, "sc-1").orElseThrow();
    assertThat(stored.value()).isEqualTo(0.7);
    assertThat(stored.traceId()).isEqualTo("sc");
    assertThat(stored.comment()).isEqualTo("first");
    assertThat(stored.timestamp()).isEqualTo(T0);
    assertThat(store.scores().list(ScoreQuery.all(p, 10)).items()).hasSize(1);
    assertThat(traces.delete(p, List.of("sc", "missing"))).isEqualTo(1);
    assertThat(store.scores().find(p, "sc-1")).isEmpty();
    assertThat(traces.observationsOf(p, "sc")).isEmpty();
  }

  // PostgreSQL sends a batch's values as arrays, whose text form quotes and escapes elements:
  // every character that form treats specially must come back as it went in.
  @Test
  void write_textWithArraySyntaxQuotesAndUnicode_roundTripsExactly() {
    String odd = "NULL";
    String tricky = "{\"a\": \"b\\\\c\", \"d\": [1, {}]} , \\ \"\" {x,y} 'q' \t\n"
        + " \u05e9\u05dc\u05d5\u05dd \ud83d\ude80 \u00e9";
    Trace t = new Trace("arr", p, odd, T0, "", " ", tricky, "null", "{\"k\":\"NULL\"}",
        List.of("NULL", "a,b", "{c}", "d\"e", "\\"), "", null, "production", false);
    Observation o = new Observation("arr-o", "arr", p, null, ObservationType.SPAN, odd, T0,
        T0.plusMillis(1), null, null, "{}", tricky, "", "{\"nested\":{\"q\":\"\\\"\"}}",
        Level.DEFAULT, "{,}", null, null, "NULL", null, "production");

    traces.write(List.of(t), List.of(o));

    assertThat(traces.findTrace(p, "arr").orElseThrow().trace()).isEqualTo(t);
    assertThat(traces.observationsOf(p, "arr")).containsExactly(o);
  }

  @Test
  void write_oneBatchAcrossProjects_rollsUpEachProjectsTraces() {
    String q = newProject();
    String r = newProject();
    traces.write(List.of(trace(q, "mp", T0), trace(r, "mp", T0)),
        List.of(generation(q, "mp", "mp-g", T0, "0.25"), generation(r, "mp", "mp-g", T0, "2"),
            span(r, "mp", "mp-s", T0)));

    TraceSummary first = traces.findTrace(q, "mp").orElseThrow();
    TraceSummary second = traces.findTrace(r, "mp").orElseThrow();
    assertThat(first.totalCost()).isEqualByComparingTo("0.25");
    assertThat(first.observationCount()).isEqualTo(1);
    assertThat(second.totalCost()).isEqualByComparingTo("2");
    assertThat(second.observationCount()).isEqualTo(2);
  }

  @Test
  void sessions_groupTracesBySession() {
    String q = newProject();
    traces.write(List.of(trace(q, "s-a", T0), trace(q, "s-b", T0.plusSeconds(30))), List.of());

    var page = store.sessions().list(new SessionQuery(q, null, null, null, 1, 10));

    assertThat(page.items()).extracting(SessionSummary::id).containsExactly("session-1");
    assertThat(page.items().get(0).createdAt()).isEqualTo(T0);
    assertThat(store.sessions().traces(q, "session-1")).extracting(t -> t.trace().id())
        .containsExactly("s-a", "s-b");
    assertThat(store.sessions().list(new SessionQuery(q, T0.plusSeconds(1), null, null, 1, 10))
        .items()).isEmpty();
  }

  @Test
  void deleteOlderThan_removesOldTracesWithTheirRows() {
    String q = newProject();
    Instant old = Instant.parse("2001-01-01T00:00:00Z");
    traces.write(List.of(trace(q, "old", old), trace(q, "new", T0)),
        List.of(span(q, "old", "old-s", old), span(q, "orphan", "orphan-s", old),
            span(q, "new", "new-s", T0)));

    long removed = traces.deleteOlderThan(Instant.parse("2010-01-01T00:00:00Z"));

    assertThat(removed).isGreaterThanOrEqualTo(1);
    assertThat(traces.findTrace(q, "old")).isEmpty();
    assertThat(traces.observationsOf(q, "old")).isEmpty();
    assertThat(traces.observationsOf(q, "orphan")).isEmpty();
    assertThat(traces.findTrace(q, "new")).isPresent();
    assertThat(traces.observationsOf(q, "new")).hasSize(1);
  }

  @Test
  void listTraces_filters_matchOnlyWhatTheySay() {
    String q = newProject();
    Trace a = trace(q, "a", T0);
    Trace b = new Trace("b", q, "embed", T0.plusSeconds(60), "user-2", "session-2", null, null,
        null, List.of("prod"), null, null, "staging", false);
    Trace c = bareTrace(q, "c", T0.plusSeconds(120));
    traces.write(List.of(a, b, c), List.of());

    assertThat(ids(all(q))).containsExactly("c", "b", "a");
    assertThat(ids(query(q, T0.plusSeconds(1), T0.plusSeconds(120), null, null, null,
        null, null))).containsExactly("b");
    assertThat(ids(query(q, null, null, "user-2", null, null, null, null))).containsExactly("b");
    assertThat(ids(query(q, null, null, null, "session-1", null, null, null)))
        .containsExactly("a");
    assertThat(ids(query(q, null, null, null, null, "embed", null, null))).containsExactly("b");
    assertThat(ids(query(q, null, null, null, null, null, List.of("prod"), null)))
        .containsExactly("b", "a");
    assertThat(ids(query(q, null, null, null, null, null, List.of("prod", "beta"), null)))
        .containsExactly("a");
    assertThat(ids(query(q, null, null, null, null, null, null, "staging")))
        .containsExactly("b");
  }

  @Test
  void listTraces_pagination_reportsTotals() {
    String q = newProject();
    for (int i = 0; i < 7; i++) {
      traces.write(List.of(bareTrace(q, "t" + i, T0.plusSeconds(i))), List.of());
    }

    Page<TraceSummary> page2 = traces.listTraces(
        new TraceQuery(q, null, null, null, null, null, null, null, 2, 3));

    assertThat(ids(page2)).containsExactly("t3", "t2", "t1");
    assertThat(page2.totalItems()).isEqualTo(7);
    assertThat(page2.totalPages()).isEqualTo(3);
  }

  @Test
  void listObservations_filters_matchOnlyWhatTheySay() {
    String q = newProject();
    traces.write(List.of(trace(q, "x", T0), bareTrace(q, "y", T0)),
        List.of(generation(q, "x", "x-g", T0.plusSeconds(2), "1"), span(q, "x", "x-s", T0),
            generation(q, "y", "y-g", T0.plusSeconds(5), "1")));

    assertThat(obsIds(obs(q, null, null, null, null, null, null)))
        .containsExactly("y-g", "x-g", "x-s");
    assertThat(obsIds(obs(q, "x", null, null, null, null, null))).containsExactly("x-g", "x-s");
    assertThat(obsIds(obs(q, null, "retrieve", null, null, null, null))).containsExactly("x-s");
    assertThat(obsIds(obs(q, null, null, "GENERATION", null, null, null)))
        .containsExactly("y-g", "x-g");
    assertThat(obsIds(obs(q, null, null, null, "user-1", null, null)))
        .containsExactly("x-g", "x-s");
    assertThat(obsIds(obs(q, null, null, null, null, T0.plusSeconds(1), T0.plusSeconds(5))))
        .containsExactly("x-g");
    assertThat(obs(q, null, null, null, null, null, null).totalItems()).isEqualTo(3);
  }

  @Test
  void write_updatesThatChangeAnIndexedFieldOrNone_listFindsTheRowByItsCurrentValues() {
    String q = newProject();
    traces.write(List.of(trace(q, "ix", T0)), List.of(generation(q, "ix", "ix-g", T0, "1")));
    Observation rename = new Observation("ix-g", "ix", q, null, ObservationType.GENERATION,
        "answer", T0, null, null, null, null, null, null, null, Level.ERROR, null, null, null,
        null, null, null);
    traces.write(new TraceBatch(null, null, List.of(rename), null));
    // Nothing any index holds changes here: only the output and the end time.
    Observation finish = new Observation("ix-g", "ix", q, null, ObservationType.GENERATION,
        null, T0, T0.plusSeconds(9), null, null, null, null, "\"done\"", null, null, null,
        null, null, null, null, null);
    traces.write(new TraceBatch(null, null, List.of(finish), null));

    assertThat(obsIds(obs(q, null, "answer", null, null, null, null))).containsExactly("ix-g");
    assertThat(obsIds(obs(q, null, "llm", null, null, null, null))).isEmpty();
    assertThat(obsIds(obs(q, "ix", null, "GENERATION", null, T0, T0.plusSeconds(1))))
        .containsExactly("ix-g");
    Observation o = traces.observationsOf(q, "ix").get(0);
    assertThat(o.name()).isEqualTo("answer");
    assertThat(o.level()).isEqualTo(Level.ERROR);
    assertThat(o.model()).isEqualTo("gpt-4o");
    assertThat(o.output()).isEqualTo("\"done\"");
    assertThat(o.input()).isEqualTo("[{\"role\":\"user\"}]");
    assertThat(o.endTime()).isEqualTo(T0.plusSeconds(9));
    assertThat(o.usage().get("input")).isEqualTo(80);
  }

  @Test
  void observationIds_groupsByTrace() {
    traces.write(List.of(trace(p, "ids", T0)),
        List.of(span(p, "ids", "ids-b", T0.plusSeconds(1)), span(p, "ids", "ids-a", T0)));

    Map<String, List<String>> ids = traces.observationIds(p, List.of("ids", "none"));

    assertThat(ids).containsExactly(Map.entry("ids", List.of("ids-a", "ids-b")));
  }

  @Test
  void daily_sumsExactlyPerDayAndModel() {
    String q = newProject();
    Instant day2 = T0.plus(Duration.ofDays(1));
    traces.write(List.of(trace(q, "d1", T0), trace(q, "d2", T0.plusSeconds(5)),
            trace(q, "d3", day2)),
        List.of(generation(q, "d1", "d1-g", T0, "0.000000000001"),
            generation(q, "d2", "d2-g", T0, "0.1"), span(q, "d2", "d2-s", T0),
            generation(q, "d3", "d3-g", day2, null)));

    List<DailyMetrics> days = traces.daily(new DailyQuery(q, null, null, null, null, null));

    assertThat(days).extracting(DailyMetrics::date)
        .containsExactly(LocalDate.of(2025, 3, 2), LocalDate.of(2025, 3, 1));
    DailyMetrics first = days.get(1);
    assertThat(first.countTraces()).isEqualTo(2);
    assertThat(first.countObservations()).isEqualTo(3);
    assertThat(first.totalCost()).isEqualByComparingTo("0.100000000001");
    assertThat(first.usage()).containsExactly(new DailyMetrics.ModelUsage("gpt-4o", 200, 70,
        270, 2, 2, new BigDecimal("0.100000000001")));
    assertThat(days.get(0).totalCost()).isEqualByComparingTo("0");
    assertThat(traces.daily(new DailyQuery(q, null, null, List.of("nope"), null, null)))
        .isEmpty();
  }

  @Test
  void keys_insertLookupRevoke_keepEveryField() {
    KeyStore keys = store.keys();
    Instant created = Instant.parse("2025-01-02T03:04:05.678901Z");
    var k = new ApiKeyRecord("k-" + p, "project", p, "look-" + p, "salt", "hash",
        "pk-lf-" + p, "ci", created, created.plusSeconds(3600), null, "{\"models\":[]}");

    keys.insert(k);

    assertThat(keys.findByLookup("look-" + p)).containsExactly(k);
    assertThat(keys.findProjectByPublicKey("pk-lf-" + p)).contains(k);
    assertThat(keys.list("project")).contains(k);
    assertThat(keys.anyOfKind("project")).isTrue();
    assertThat(keys.revoke(k.id(), created.plusSeconds(10))).isTrue();
    assertThat(keys.revoke(k.id(), created.plusSeconds(20))).isFalse();
    assertThat(keys.findByLookup("look-" + p)).isEmpty();
    assertThat(keys.findProjectByPublicKey("pk-lf-" + p)).isEmpty();
    assertThat(keys.list("project")).filteredOn(r -> r.id().equals(k.id())).singleElement()
        .extracting(ApiKeyRecord::revokedAt).isEqualTo(created.plusSeconds(10));
  }

  @Test
  void keys_updateLookupAndDelete_onlyWhereTheyApply() {
    KeyStore keys = store.keys();
    Instant created = Instant.parse("2025-01-02T03:04:05Z");
    var k = new ApiKeyRecord("kl-" + p, "virtual", p, "old-" + p, "salt", "hash", null, "ci",
        created, null, null, null);
    keys.insert(k);

    assertThat(keys.updateLookup(k.id(), "other-" + p, "new-" + p)).isFalse();
    assertThat(keys.updateLookup(k.id(), "old-" + p, "new-" + p)).isTrue();

    assertThat(keys.findByLookup("old-" + p)).isEmpty();
    assertThat(keys.findByLookup("new-" + p)).extracting(ApiKeyRecord::id)
        .containsExactly(k.id());
    assertThat(keys.delete(k.id())).isTrue();
    assertThat(keys.delete(k.id())).isFalse();
    assertThat(keys.find(k.id())).isEmpty();
  }

  @Test
  void cost_picoDollarPrecision_survivesRoundTrip() {
    traces.write(List.of(), List.of(generation(p, "pico", "pico-1", T0, "0.000000000007")));

    Observation o = traces.observationsOf(p, "pico").get(0);

    assertThat(o.cost().total()).isEqualByComparingTo(Cost.fromPicoDollars(7));
  }

  private Page<TraceSummary> all(String project) {
    return traces.listTraces(TraceQuery.all(project, 50));
  }

  private Page<TraceSummary> query(String project, Instant from, Instant to, String user,
      String session, String name, List<String> tags, String env) {
    return traces.listTraces(
        new TraceQuery(project, from, to, user, session, name, tags, env, 1, 50));
  }

  private Page<Observation> obs(String project, String traceId, String name, String type,
      String user, Instant from, Instant to) {
    return traces.listObservations(
        new ObservationQuery(project, traceId, name, type, user, from, to, 1, 50));
  }

  private static List<String> ids(Page<TraceSummary> page) {
    return page.items().stream().map(s -> s.trace().id()).toList();
  }

  private static List<String> obsIds(Page<Observation> page) {
    return page.items().stream().map(Observation::id).toList();
  }
}
