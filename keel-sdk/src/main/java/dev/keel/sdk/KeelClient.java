package dev.keel.sdk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Keel SDK's entry point: traces, observations and scores sent to Keel's Langfuse-compatible
 * ingestion API in the background, and prompts fetched with a local cache.
 *
 * <pre>{@code
 * KeelClient keel = KeelClient.builder().build();   // KEEL_BASE_URL, KEEL_PUBLIC_KEY, ...
 * try (Trace trace = keel.trace("support-reply").userId("u-42").sessionId("s-7")) {
 *   try (Observation gen = trace.generation("answer").model("gpt-4o-mini").input(messages)) {
 *     gen.output(reply).usage(120, 40);
 *   }
 * }
 * }</pre>
 *
 * <p>One client per application is enough; it is thread-safe. Recording never blocks and never
 * throws: events go into a bounded queue (dropped and counted when full) and a daemon thread
 * sends them in batches with retries. {@link #flush()} and {@link #close()} wait, with a timeout.
 */
public final class KeelClient implements AutoCloseable {

  static final String SDK_NAME = "keel-java";
  static final String SDK_VERSION = "0.1.0";
  private static final Logger LOG = LoggerFactory.getLogger(KeelClient.class);

  private final ClientSettings settings;
  private final Warnings warnings = new Warnings(LOG);
  private final Exporter exporter;
  private final Prompts prompts;
  private final Thread shutdownHook;
  private volatile boolean closed;

  KeelClient(ClientSettings settings) {
    this.settings = settings;
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(settings.requestTimeout()).build();
    String auth = "Basic " + Base64.getEncoder().encodeToString(
        (settings.publicKey() + ":" + settings.secretKey()).getBytes(StandardCharsets.UTF_8));
    if (settings.exportEnabled()) {
      exporter = new Exporter(settings,
          new IngestionTransport(http, settings, auth, warnings), warnings);
    } else {
      exporter = null;
      LOG.warn("Keel SDK has no public or secret key (KEEL_PUBLIC_KEY, KEEL_SECRET_KEY), so "
          + "traces are recorded nowhere; set both to send them to {}", settings.base());
    }
    this.prompts = new Prompts(settings, http, auth);
    this.shutdownHook = settings.shutdownHook() ? registerShutdownHook() : null;
  }

  /** A builder reading defaults from the environment. */
  public static KeelClientBuilder builder() {
    return new KeelClientBuilder(System.getenv());
  }

  /** Starts a trace, current on this thread until it ends. */
  public Trace trace(String name) {
    return trace(name, null);
  }

  /**
   * Starts a trace with a chosen id (for example to join a gateway call's
   * {@code x-keel-trace-id}); an empty or over-long id is replaced by a generated one.
   */
  public Trace trace(String name, String traceId) {
    Trace trace = new Trace(this, validId(traceId), name == null ? "unnamed" : name);
    trace.becomeCurrent();
    return trace;
  }

  /** A SPAN under the current node, or in a new trace of the same name when there is none. */
  public Observation span(String name) {
    return observation(ObservationType.SPAN, name);
  }

  /** A GENERATION under the current node, or in a new trace. */
  public Observation generation(String name) {
    return observation(ObservationType.GENERATION, name);
  }

  /** An AGENT step under the current node, or in a new trace. */
  public Observation agent(String name) {
    return observation(ObservationType.AGENT, name);
  }

  /** A TOOL step under the current node, or in a new trace. */
  public Observation tool(String name) {
    return observation(ObservationType.TOOL, name);
  }

  /** A RETRIEVER step under the current node, or in a new trace. */
  public Observation retriever(String name) {
    return observation(ObservationType.RETRIEVER, name);
  }

  /** An observation under the current node (or in a new trace), current until it ends. */
  public Observation observation(ObservationType type, String name) {
    Observation step = startDetached(type, name);
    step.becomeCurrent();
    return step;
  }

  /**
   * An observation under the current node, or in a new trace that ends with it, without making
   * it current: for steps that end on another thread.
   */
  public Observation startDetached(ObservationType type, String name) {
    Node parent = KeelContext.currentNode();
    if (parent != null && parent.client == this) {
      return parent.startDetached(type, name);
    }
    Trace trace = new Trace(this, newId(), name == null ? "unnamed" : name);
    Observation step = trace.startDetached(type, name);
    step.ownTrace();
    return step;
  }

  /** Runs {@code work} as a span (see {@link TraceNode#observe(String, Supplier)}). */
  public <T> T observe(String name, Supplier<T> work) {
    return Observing.supply(span(name), work);
  }

  /** Runs {@code work} as a span. */
  public void observe(String name, Runnable work) {
    Observing.run(span(name), work);
  }

  /** Runs {@code work} as a span, passing its checked exceptions on. */
  public <T> T observeCall(String name, Callable<T> work) throws Exception {
    return Observing.call(span(name), work);
  }

  /** {@code function} recording each call as a span with its argument as input. */
  public <A, R> Function<A, R> wrap(String name, Function<A, R> function) {
    return argument -> Observing.supply(span(name).input(argument),
        () -> function.apply(argument));
  }

  /** {@code supplier} recording each call as a span. */
  public <T> Supplier<T> wrap(String name, Supplier<T> supplier) {
    return () -> observe(name, supplier);
  }

  /** {@code callable} recording each call as a span. */
  public <T> Callable<T> wrapCall(String name, Callable<T> callable) {
    return () -> observeCall(name, callable);
  }

  /** Scores a trace by id, e.g. with user feedback that arrives later. */
  public void scoreTrace(String traceId, Score score) {
    score(score, traceId, null, null);
  }

  /** Scores one observation of a trace. */
  public void scoreObservation(String traceId, String observationId, Score score) {
    score(score, traceId, observationId, null);
  }

  /** Scores a session (a conversation). */
  public void scoreSession(String sessionId, Score score) {
    score(score, null, null, sessionId);
  }

  /** Prompts from Keel's registry, cached locally. */
  public Prompts prompts() {
    return prompts;
  }

  /** Sends everything recorded so far, waiting up to the close timeout; true when all went. */
  public boolean flush() {
    return flush(settings.closeTimeout());
  }

  /** Sends everything recorded so far, waiting up to {@code timeout}; true when all went. */
  public boolean flush(Duration timeout) {
    return exporter == null || exporter.flush(timeout);
  }

  /** What the exporter did so far. */
  public ExportStats stats() {
    return exporter == null ? new ExportStats(0, 0, 0, 0, 0, 0) : exporter.stats();
  }

  /** Sends what is queued (within the close timeout) and stops; later events are dropped. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    removeShutdownHook();
    prompts.close();
    if (exporter != null && !exporter.close(settings.closeTimeout())) {
      LOG.warn("Keel SDK closed before every event was sent: {}", exporter.stats());
    }
  }

  ClientSettings settings() {
    return settings;
  }

  Instant now() {
    return settings.clock().instant();
  }

  void emit(String type, ObjectNode body) {
    if (exporter != null) {
      exporter.enqueue(type, body);
    }
  }

  void score(Score score, String traceId, String observationId, String sessionId) {
    if (score == null) {
      return;
    }
    ObjectNode body = Json.object();
    body.put("id", newId());
    body.put("name", score.name());
    body.set("value", Json.toNode(score.value()));
    body.put("dataType", score.dataType());
    putIfSet(body, "traceId", traceId);
    putIfSet(body, "observationId", observationId);
    putIfSet(body, "sessionId", sessionId);
    putIfSet(body, "comment", score.comment());
    putIfSet(body, "configId", score.configId());
    body.put("environment", settings.environment());
    emit("score-create", body);
  }

  /**
   * A random version-4 UUID. Ids only need to be unique, not unguessable, so a thread-local
   * generator replaces {@link UUID#randomUUID()}'s contended secure one on the hot path.
   */
  static String newId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long high = (r.nextLong() & ~0xF000L) | 0x4000L;
    long low = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }

  private String validId(String id) {
    if (id == null) {
      return newId();
    }
    if (id.isBlank() || id.length() > 800 || id.indexOf('\r') >= 0) {
      warnings.once("bad-trace-id", "Keel SDK ignored a trace id that is empty, over 800 "
          + "characters or holds a carriage return; a generated id is used instead");
      return newId();
    }
    return id;
  }

  private static void putIfSet(ObjectNode body, String field, String value) {
    if (value != null) {
      body.put(field, value);
    }
  }

  private Thread registerShutdownHook() {
    Thread hook = new Thread(this::close, "keel-sdk-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  private void removeShutdownHook() {
    if (shutdownHook == null || Thread.currentThread() == shutdownHook) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down and runs the hook itself; nothing to undo.
    }
  }
}
