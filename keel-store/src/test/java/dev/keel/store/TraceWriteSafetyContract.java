package dev.keel.store;

import static dev.keel.store.Fixtures.T0;
import static dev.keel.store.Fixtures.generation;
import static dev.keel.store.Fixtures.newProject;
import static dev.keel.store.Fixtures.span;
import static dev.keel.store.Fixtures.trace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.trace.Observation;
import dev.keel.core.trace.Trace;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the write path must never do, on every store: lose a row over a NUL character, or let a
 * trace that joins (a gateway call naming an existing trace) overwrite the owner's fields.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TraceWriteSafetyContract {

  private static final String NUL = "\u0000";
  private static final String FFFD = "\uFFFD";

  private Store store;
  private TraceStore traces;
  private final String p = newProject();

  protected abstract Store openStore() throws Exception;

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
  void nul_inTextAndJson_isStoredAsTheReplacementCharacter_andFindsTheRow() {
    Trace t = new Trace("nul-t", p, "run" + NUL + "name", T0, "x" + NUL + "y", "s" + NUL,
        "\"in" + NUL + "put\"", "\"out\\u0000put\"", "{\"k\":\"v\\u0000\",\"raw\":\"a"
        + NUL + "b\",\"slash\":\"\\\\u0000\"}", List.of("t" + NUL + "ag"), "r" + NUL, null,
        "production", false);
    Observation g = generation(p, "nul-t", "nul-g", T0, "0.5");
    g = new Observation(g.id(), g.traceId(), p, null, g.type(), "gen" + NUL, g.startTime(),
        g.endTime(), null, "gpt" + NUL, "{\"t\\u0000\":1}", null, null,
        "{\"m\":\"\\u0000\"}", g.level(), "status" + NUL, g.usage(), g.cost(), null, null,
        "production");
    Score s = new Score("nul-s", p, "nul-t", null, null, null, "score" + NUL, null,
        "label" + NUL, Score.DataType.CATEGORICAL, null, "c" + NUL, "{\"m\":\"\\u0000\"}", null,
        null, null, T0);
    // Another trace in the same batch must not be lost with it.
    Trace other = trace(p, "nul-other", T0);

    traces.write(new TraceBatch(List.of(t, other), List.of(g), List.of(), List.of(s)));

    Trace stored = traces.findTrace(p, "nul-t").orElseThrow().trace();
    assertThat(stored.name()).isEqualTo("run" + FFFD + "name");
    assertThat(stored.userId()).isEqualTo("x" + FFFD + "y");
    assertThat(stored.sessionId()).isEqualTo("s" + FFFD);
    assertThat(stored.input()).isEqualTo("\"in" + FFFD + "put\"");
    assertThat(stored.output()).isEqualTo("\"out\\u0000put\"");
    assertThat(stored.metadata()).isEqualTo("{\"k\":\"v\\uFFFD\",\"raw\":\"a" + FFFD
        + "b\",\"slash\":\"\\\\u0000\"}");
    assertThat(stored.tags()).containsExactly("t" + FFFD + "ag");
    assertThat(stored.release()).isEqualTo("r" + FFFD);
    Observation o = traces.observationsOf(p, "nul-t").get(0);
    assertThat(o.name()).isEqualTo("gen" + FFFD);
    assertThat(o.model()).isEqualTo("gpt" + FFFD);
    assertThat(o.modelParameters()).isEqualTo("{\"t\\uFFFD\":1}");
    assertThat(o.metadata()).isEqualTo("{\"m\":\"\\uFFFD\"}");
    assertThat(o.statusMessage()).isEqualTo("status" + FFFD);
    Score score = store.scores().find(p, "nul-s").orElseThrow();
    assertThat(score.name()).isEqualTo("score" + FFFD);
    assertThat(score.stringValue()).isEqualTo("label" + FFFD);
    assertThat(score.comment()).isEqualTo("c" + FFFD);
    assertThat(score.metadata()).isEqualTo("{\"m\":\"\\uFFFD\"}");
    assertThat(traces.findTrace(p, "nul-other")).isPresent();
    // A filter with the NUL finds what was stored for it.
    var byUserAndTag = traces.listTraces(new TraceQuery(p, null, null, "x" + NUL + "y", null,
        null, List.of("t" + NUL + "ag"), null, 1, 10));
    assertThat(byUserAndTag.items()).extracting(r -> r.trace().id()).containsExactly("nul-t");
  }

  @Test
  void nul_inAPrompt_isStoredAsTheReplacementCharacter() {
    var draft = new PromptDraft("greet" + NUL, "text", "Hello" + NUL + " {{name}}",
        "{\"model\":\"m\\u0000\"}", List.of("tag" + NUL), "msg" + NUL, null, "hash", T0);

    StoredPrompt created = store.prompts().create(p, draft, List.of("production"));

    StoredPrompt found = store.prompts().find(p, "greet" + NUL, created.version()).orElseThrow();
    assertThat(found.name()).isEqualTo("greet" + FFFD);
    assertThat(found.body()).isEqualTo("Hello" + FFFD + " {{name}}");
    assertThat(found.tags()).containsExactly("tag" + FFFD);
  }

  @Test
  void joining_aStoredTrace_addsItsObservation_andFillsOnlyEmptyFields() {
    Trace owner = new Trace("victim", p, "important-run", T0, "alice", null, "\"question\"",
        "\"answer\"", "{\"team\":\"a\",\"nested\":{\"x\":1}}", List.of("prod"), null, null,
        "production", false);
    traces.write(List.of(owner), List.of());
    Trace call = new Trace("victim", p, "chat.completions", T0.plusSeconds(5), "mallory",
        "sess-1", "\"hijacked input\"", "\"hijacked output\"",
        "{\"team\":\"b\",\"nested\":{\"x\":2,\"y\":3},\"cost_incomplete\":true}",
        List.of("gateway"), "rel-2", null, "production", false);
    Observation gen = generation(p, "victim", "victim-g", T0.plusSeconds(5), "0.25");

    traces.write(TraceBatch.joining(call, List.of(gen)));

    TraceSummary found = traces.findTrace(p, "victim").orElseThrow();
    Trace t = found.trace();
    assertThat(t.name()).isEqualTo("important-run");
    assertThat(t.userId()).isEqualTo("alice");
    assertThat(t.input()).isEqualTo("\"question\"");
    assertThat(t.output()).isEqualTo("\"answer\"");
    assertThat(t.timestamp()).isEqualTo(T0);
    assertThat(t.sessionId()).isEqualTo("sess-1");
    assertThat(t.release()).isEqualTo("rel-2");
    assertThat(t.metadata()).isEqualTo(
        "{\"team\":\"a\",\"nested\":{\"x\":1,\"y\":3},\"cost_incomplete\":true}");
    assertThat(t.tags()).containsExactly("prod", "gateway");
    assertThat(found.observationCount()).isEqualTo(1);
    assertThat(found.totalCost()).isEqualByComparingTo("0.25");
  }

  @Test
  void joining_aNewTrace_setsEveryField_andALaterJoinFillsNothingSet() {
    Trace first = new Trace("conv", p, "chat.completions", T0, "bob", null, "\"first q\"",
        "\"first a\"", null, List.of(), null, null, "production", false);
    Trace second = new Trace("conv", p, "chat.completions", T0.plusSeconds(3), "eve", "s2",
        "\"second q\"", "\"second a\"", null, List.of(), null, null, "production", false);

    traces.write(TraceBatch.joining(first, List.of(span(p, "conv", "conv-1", T0))));
    traces.write(TraceBatch.joining(second, List.of(span(p, "conv", "conv-2", T0))));

    Trace t = traces.findTrace(p, "conv").orElseThrow().trace();
    assertThat(t.userId()).isEqualTo("bob");
    assertThat(t.input()).isEqualTo("\"first q\"");
    assertThat(t.output()).isEqualTo("\"first a\"");
    assertThat(t.sessionId()).isEqualTo("s2");
    assertThat(traces.observationsOf(p, "conv")).hasSize(2);
  }

  @Test
  void joiningAndOwningInOneBatch_ownerWinsInEitherOrder() {
    for (String id : List.of("order-a", "order-b")) {
      Trace owner = new Trace(id, p, "owned", T0, "alice", null, "\"in\"", null, null,
          List.of(), null, null, "production", false);
      Trace call = new Trace(id, p, "chat.completions", T0, "mallory", null, "\"call in\"",
          "\"call out\"", null, List.of(), null, null, "production", false);
      List<Trace> order = id.equals("order-a") ? List.of(owner, call) : List.of(call, owner);

      traces.write(new TraceBatch(order, List.of(), List.of(), List.of(), null,
          java.util.Set.of(call)));

      Trace t = traces.findTrace(p, id).orElseThrow().trace();
      assertThat(t.name()).as(id).isEqualTo("owned");
      assertThat(t.userId()).as(id).isEqualTo("alice");
      assertThat(t.input()).as(id).isEqualTo("\"in\"");
      assertThat(t.output()).as(id).isEqualTo("\"call out\"");
    }
  }

  @Test
  void writer_oneBadOfferInATransaction_isDroppedAlone() {
    // A time the store cannot hold fails the write of whatever transaction carries it.
    Trace bad = new Trace("w-bad", p, "bad", Instant.MAX, null, null, null, null, null,
        List.of(), null, null, "production", false);
    try (var writer = new TraceWriter(traces, 100, 100, Duration.ofMillis(20))) {
      writer.offer(trace(p, "w-good-1", T0), List.of(span(p, "w-good-1", "w-good-1s", T0)));
      writer.offer(bad, List.of());
      writer.offer(trace(p, "w-good-2", T0), List.of());
      writer.flush();

      assertThat(writer.failed()).isEqualTo(1);
      assertThat(writer.written()).isEqualTo(2);
    }
    assertThat(traces.findTrace(p, "w-good-1")).isPresent();
    assertThat(traces.findTrace(p, "w-good-2")).isPresent();
    assertThat(traces.findTrace(p, "w-bad")).isEmpty();
  }

  @Test
  void writer_keepsJoiningTracesApartWhenItMergesOffersIntoOneTransaction() {
    Trace owner = new Trace("w-victim", p, "important-run", T0, "alice", null, "\"q\"",
        "\"a\"", null, List.of(), null, null, "production", false);
    Trace call = new Trace("w-victim", p, "chat.completions", T0, "mallory", null,
        "\"call\"", "\"reply\"", null, List.of(), null, null, "production", false);
    Trace fresh = new Trace("w-fresh", p, "chat.completions", T0, "mallory", null,
        "\"call\"", "\"reply\"", null, List.of(), null, null, "production", false);
    try (var writer = new TraceWriter(traces, 100, 100, Duration.ofMillis(20))) {
      // Offered back to back they usually share one transaction; the result must not depend
      // on it.
      assertThat(writer.offer(TraceBatch.of(List.of(owner), List.of()))).isTrue();
      assertThat(writer.offer(TraceBatch.joining(call,
          List.of(generation(p, "w-victim", "w-g", T0, "1"))))).isTrue();
      assertThat(writer.offer(TraceBatch.joining(fresh, List.of()))).isTrue();
      writer.flush();
    }

    Trace t = traces.findTrace(p, "w-victim").orElseThrow().trace();
    assertThat(t.name()).isEqualTo("important-run");
    assertThat(t.userId()).isEqualTo("alice");
    assertThat(t.output()).isEqualTo("\"a\"");
    assertThat(traces.observationsOf(p, "w-victim")).hasSize(1);
    assertThat(traces.findTrace(p, "w-fresh").orElseThrow().trace().userId())
        .isEqualTo("mallory");
  }
}
