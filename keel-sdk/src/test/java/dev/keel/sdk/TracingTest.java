package dev.keel.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TracingTest {

  private StubKeel stub;
  private KeelClient keel;

  @BeforeEach
  void start() throws IOException {
    stub = new StubKeel();
    keel = stub.client().flushInterval(Duration.ofHours(1)).build();
  }

  @AfterEach
  void stop() {
    keel.close();
    stub.close();
  }

  @Test
  void current_followsTryWithResourcesScopes() {
    assertThat(KeelContext.current()).isEmpty();

    try (Trace trace = keel.trace("t")) {
      assertThat(KeelContext.current()).containsSame(trace);
      try (Observation span = trace.span("s")) {
        assertThat(KeelContext.current()).containsSame(span);
        Observation event = span.event("e");
        assertThat(KeelContext.current()).containsSame(span);
        event.end();
      }
      assertThat(KeelContext.current()).containsSame(trace);
    }

    assertThat(KeelContext.current()).isEmpty();
  }

  @Test
  void clientSpan_underCurrentSpan_nestsUnderIt() {
    String parentId;
    try (Trace trace = keel.trace("t"); Observation outer = trace.span("outer")) {
      parentId = outer.id();
      keel.span("inner").end();
    }

    JsonNode inner = body("span-create", "inner");
    assertThat(inner.path("parentObservationId").asText()).isEqualTo(parentId);
  }

  @Test
  void clientObserve_withoutCurrent_makesTraceWithSpanAndResult() {
    int result = keel.observe("lookup", () -> 42);

    assertThat(result).isEqualTo(42);
    keel.flush(Duration.ofSeconds(5));
    JsonNode span = body("span-create", "lookup");
    assertThat(span.path("output").asInt()).isEqualTo(42);
    List<JsonNode> traces = stub.events("trace-create");
    assertThat(traces).extracting(e -> e.path("body").path("id").asText())
        .containsOnly(span.path("traceId").asText());
    assertThat(traces.get(0).path("body").path("name").asText()).isEqualTo("lookup");
    assertThat(traces.get(traces.size() - 1).path("body").path("output").asInt()).isEqualTo(42);
    assertThat(KeelContext.current()).isEmpty();
  }

  @Test
  void observe_exception_recordedAsErrorAndRethrown() {
    try (Trace trace = keel.trace("t")) {
      assertThatThrownBy(() -> trace.observe("fails", () -> {
        throw new IllegalStateException("boom");
      })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
      assertThat(KeelContext.current()).containsSame(trace);
    }

    JsonNode span = body("span-create", "fails");
    assertThat(span.path("level").asText()).isEqualTo("ERROR");
    assertThat(span.path("statusMessage").asText())
        .isEqualTo("java.lang.IllegalStateException: boom");
    assertThat(span.has("endTime")).isTrue();
  }

  @Test
  void wrapFunction_recordsInputAndOutputPerCall() {
    Function<String, Integer> length = keel.wrap("length", String::length);

    try (Trace trace = keel.trace("t")) {
      assertThat(length.apply("abc")).isEqualTo(3);
    }

    JsonNode span = body("span-create", "length");
    assertThat(span.path("input").asText()).isEqualTo("abc");
    assertThat(span.path("output").asInt()).isEqualTo(3);
  }

  @Test
  void observeCall_checkedException_recordedAndRethrown() {
    try (Trace trace = keel.trace("t")) {
      assertThatThrownBy(() -> trace.observeCall("io", () -> {
        throw new IOException("disk");
      })).isInstanceOf(IOException.class);
    }

    assertThat(body("span-create", "io").path("statusMessage").asText())
        .isEqualTo("java.io.IOException: disk");
  }

  @Test
  void wrappedExecutor_carriesCurrentSpanToWorkerThread() throws Exception {
    ExecutorService pool = KeelContext.wrap(Executors.newFixedThreadPool(2));
    String parentId;
    try (Trace trace = keel.trace("t"); Observation fanOut = trace.span("fan-out")) {
      parentId = fanOut.id();
      Future<?> a = pool.submit(() -> keel.span("worker-a").end());
      Future<?> b = pool.submit(() -> keel.observe("worker-b", () -> "ok"));
      a.get();
      b.get();
    } finally {
      pool.shutdown();
    }

    assertThat(body("span-create", "worker-a").path("parentObservationId").asText())
        .isEqualTo(parentId);
    assertThat(body("span-create", "worker-b").path("parentObservationId").asText())
        .isEqualTo(parentId);
  }

  @Test
  void attach_explicitNodeOnOtherThread_nestsThere() throws Exception {
    AtomicReference<Optional<TraceNode>> afterScope = new AtomicReference<>();
    String traceId;
    try (Trace trace = keel.trace("t")) {
      traceId = trace.id();
      Thread worker = new Thread(() -> {
        try (KeelContext.Scope scope = KeelContext.attach(trace)) {
          keel.tool("search").end();
        }
        afterScope.set(KeelContext.current());
      });
      worker.start();
      worker.join();
    }

    assertThat(afterScope.get()).isEmpty();
    JsonNode tool = body("tool-create", "search");
    assertThat(tool.path("traceId").asText()).isEqualTo(traceId);
    assertThat(tool.has("parentObservationId")).isFalse();
  }

  @Test
  void current_spanEndedOnAnotherThread_skippedOnCreatingThread() throws Exception {
    try (Trace trace = keel.trace("t")) {
      Observation span = trace.span("handed-off");
      Thread other = new Thread(span::end);
      other.start();
      other.join();

      assertThat(KeelContext.current()).containsSame(trace);
    }
  }

  @Test
  void stepTypes_sentWithTheirOwnEventTypes() {
    try (Trace trace = keel.trace("t")) {
      try (Observation agent = trace.agent("planner")) {
        agent.retriever("docs").end();
        agent.tool("calc").usage(java.util.Map.of("input", 3)).end();
      }
      trace.event("cache-hit", "key-1");
    }

    assertThat(body("agent-create", "planner").path("endTime").isTextual()).isTrue();
    assertThat(body("retriever-create", "docs").path("parentObservationId").asText())
        .isEqualTo(body("agent-create", "planner").path("id").asText());
    assertThat(body("tool-create", "calc").path("usageDetails").path("input").asInt())
        .isEqualTo(3);
    JsonNode event = body("event-create", "cache-hit");
    assertThat(event.path("input").asText()).isEqualTo("key-1");
    assertThat(event.has("endTime")).isFalse();
  }

  @Test
  void changeAfterEnd_sentAsUpdateEvent() {
    Observation gen;
    try (Trace trace = keel.trace("t")) {
      gen = trace.generation("g");
      gen.end();
      gen.output("late").metadata("k", "v");
      trace.end();
      trace.output("after");
    }

    keel.flush(Duration.ofSeconds(5));
    List<JsonNode> updates = stub.events("generation-update");
    assertThat(updates).hasSize(2);
    assertThat(updates.get(0).path("body").path("id").asText()).isEqualTo(gen.id());
    assertThat(updates.get(0).path("body").path("output").asText()).isEqualTo("late");
    assertThat(updates.get(1).path("body").path("metadata").path("k").asText()).isEqualTo("v");
    List<JsonNode> traces = stub.events("trace-create");
    assertThat(traces.get(traces.size() - 1).path("body").path("output").asText())
        .isEqualTo("after");
  }

  @Test
  void spanFields_generationOnlyFieldsIgnored() {
    try (Trace trace = keel.trace("t")) {
      trace.span("s").model("gpt-4o").usage(1, 2).level(Level.WARNING).end();
    }

    JsonNode span = body("span-create", "s");
    assertThat(span.has("model")).isFalse();
    assertThat(span.has("usageDetails")).isFalse();
    assertThat(span.path("level").asText()).isEqualTo("WARNING");
  }

  @Test
  void traceId_overLongReplacedByGeneratedId() {
    Trace trace = keel.trace("t", "x".repeat(801));
    trace.end();

    assertThat(trace.id())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  }

  @Test
  void unserializableInput_recordedAsText() {
    Object cyclic = new Object() {
      public Object getSelf() {
        return this;
      }

      @Override
      public String toString() {
        return "cyclic-thing";
      }
    };

    keel.trace("t").input(cyclic).end();

    keel.flush(Duration.ofSeconds(5));
    assertThat(stub.events("trace-create").get(1).path("body").path("input").asText())
        .isEqualTo("cyclic-thing");
  }

  private JsonNode body(String type, String name) {
    keel.flush(Duration.ofSeconds(5));
    return stub.events(type).stream().map(e -> e.path("body"))
        .filter(b -> b.path("name").asText().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " named " + name + " in "
            + stub.events()));
  }
}
