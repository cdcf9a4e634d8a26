package dev.keel.sdk;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Settings for a {@link KeelClient}. Unset values come from the environment, then defaults:
 *
 * <table>
 *   <caption>settings</caption>
 *   <tr><th>setting</th><th>environment</th><th>default</th></tr>
 *   <tr><td>baseUrl</td><td>KEEL_BASE_URL, LANGFUSE_BASE_URL, LANGFUSE_HOST</td>
 *       <td>http://127.0.0.1:4000</td></tr>
 *   <tr><td>publicKey</td><td>KEEL_PUBLIC_KEY, LANGFUSE_PUBLIC_KEY</td><td>none: nothing is
 *       sent</td></tr>
 *   <tr><td>secretKey</td><td>KEEL_SECRET_KEY, LANGFUSE_SECRET_KEY</td><td>none</td></tr>
 *   <tr><td>environment</td><td>KEEL_ENVIRONMENT, LANGFUSE_TRACING_ENVIRONMENT</td>
 *       <td>default</td></tr>
 *   <tr><td>release</td><td>KEEL_RELEASE, LANGFUSE_RELEASE</td><td>none</td></tr>
 * </table>
 *
 * <p>Export: batches of {@code flushAt} (50) events or every {@code flushInterval} (1 s),
 * a queue of {@code maxQueueSize} (10,000) events, {@code maxRetries} (3) retries starting at
 * {@code retryBaseDelay} (500 ms) and doubling, {@code requestTimeout} (10 s), batches of at
 * most {@code maxBatchBytes} (3 MB) and events of at most {@code maxEventBytes} (1 MB, larger
 * input and output are replaced by a note), {@code closeTimeout} (5 s) for flush and close, and
 * a JVM shutdown hook that flushes ({@code shutdownHook(false)} turns it off). Prompts: cache
 * time to live {@code promptCacheTtl} (60 s), {@code promptMaxRetries} (2) on network errors
 * and 5xx.
 */
public final class KeelClientBuilder {

  private final Map<String, String> env;
  private String baseUrl;
  private String publicKey;
  private String secretKey;
  private String environment;
  private String release;
  private int flushAt = 50;
  private Duration flushInterval = Duration.ofSeconds(1);
  private int maxQueueSize = 10_000;
  private int maxRetries = 3;
  private Duration retryBaseDelay = Duration.ofMillis(500);
  private Duration requestTimeout = Duration.ofSeconds(10);
  private Duration closeTimeout = Duration.ofSeconds(5);
  private boolean shutdownHook = true;
  private int maxBatchBytes = 3_000_000;
  private int maxEventBytes = 1_000_000;
  private Duration promptCacheTtl = Duration.ofSeconds(60);
  private int promptMaxRetries = 2;
  private Clock clock = Clock.systemUTC();

  KeelClientBuilder(Map<String, String> env) {
    this.env = env;
  }

  /** Keel's address, e.g. {@code http://127.0.0.1:4000}. */
  public KeelClientBuilder baseUrl(String url) {
    this.baseUrl = url;
    return this;
  }

  /** The project's public key ({@code pk-lf-...}). */
  public KeelClientBuilder publicKey(String key) {
    this.publicKey = key;
    return this;
  }

  /** The project's secret key ({@code sk-lf-...}); never logged. */
  public KeelClientBuilder secretKey(String key) {
    this.secretKey = key;
    return this;
  }

  /** The environment every trace, observation and score is recorded in. */
  public KeelClientBuilder environment(String name) {
    this.environment = name;
    return this;
  }

  /** The release every trace is recorded under. */
  public KeelClientBuilder release(String name) {
    this.release = name;
    return this;
  }

  /** Events per batch; a full batch is sent without waiting for the interval. */
  public KeelClientBuilder flushAt(int events) {
    this.flushAt = events;
    return this;
  }

  /** Longest time an event waits in the queue before its batch is sent. */
  public KeelClientBuilder flushInterval(Duration interval) {
    this.flushInterval = interval;
    return this;
  }

  /** Events held in memory at most; more are dropped and counted. */
  public KeelClientBuilder maxQueueSize(int events) {
    this.maxQueueSize = events;
    return this;
  }

  /** Retries of a batch after a 5xx, a 429 or a network error. */
  public KeelClientBuilder maxRetries(int retries) {
    this.maxRetries = retries;
    return this;
  }

  /** The first retry's delay; each later one doubles it (a 429's Retry-After is respected). */
  public KeelClientBuilder retryBaseDelay(Duration delay) {
    this.retryBaseDelay = delay;
    return this;
  }

  /** Time allowed for one HTTP request to Keel. */
  public KeelClientBuilder requestTimeout(Duration timeout) {
    this.requestTimeout = timeout;
    return this;
  }

  /** Longest wait in {@link KeelClient#flush()} and {@link KeelClient#close()}. */
  public KeelClientBuilder closeTimeout(Duration timeout) {
    this.closeTimeout = timeout;
    return this;
  }

  /** Whether a JVM shutdown hook closes the client, sending what is queued. */
  public KeelClientBuilder shutdownHook(boolean enabled) {
    this.shutdownHook = enabled;
    return this;
  }

  /** Largest request body sent; Keel accepts 4.5 MB by default. */
  public KeelClientBuilder maxBatchBytes(int bytes) {
    this.maxBatchBytes = bytes;
    return this;
  }

  /** Largest single event; a larger one loses its input, output and metadata. */
  public KeelClientBuilder maxEventBytes(int bytes) {
    this.maxEventBytes = bytes;
    return this;
  }

  /** How long a fetched prompt is served before it is refreshed in the background. */
  public KeelClientBuilder promptCacheTtl(Duration ttl) {
    this.promptCacheTtl = ttl;
    return this;
  }

  /** Retries of a prompt fetch after a network error or a 5xx. */
  public KeelClientBuilder promptMaxRetries(int retries) {
    this.promptMaxRetries = retries;
    return this;
  }

  KeelClientBuilder clock(Clock c) {
    this.clock = c;
    return this;
  }

  /** Validates the settings and starts the client; bad settings throw here, never later. */
  public KeelClient build() {
    String url = first(baseUrl, "KEEL_BASE_URL", "LANGFUSE_BASE_URL", "LANGFUSE_HOST");
    return new KeelClient(new ClientSettings(
        URI.create(url == null ? "http://127.0.0.1:4000" : url.trim()),
        first(publicKey, "KEEL_PUBLIC_KEY", "LANGFUSE_PUBLIC_KEY"),
        first(secretKey, "KEEL_SECRET_KEY", "LANGFUSE_SECRET_KEY"),
        orDefault(first(environment, "KEEL_ENVIRONMENT", "LANGFUSE_TRACING_ENVIRONMENT"),
            "default"),
        first(release, "KEEL_RELEASE", "LANGFUSE_RELEASE"),
        flushAt, flushInterval, maxQueueSize, maxRetries, retryBaseDelay, requestTimeout,
        closeTimeout, shutdownHook, maxBatchBytes, maxEventBytes, promptCacheTtl,
        promptMaxRetries, clock));
  }

  private String first(String explicit, String... names) {
    if (explicit != null && !explicit.isBlank()) {
      return explicit;
    }
    for (String name : names) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }

  private static String orDefault(String value, String fallback) {
    return value == null ? fallback : value;
  }
}
