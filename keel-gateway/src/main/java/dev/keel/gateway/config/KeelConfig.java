package dev.keel.gateway.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keel's configuration: the optional {@code keel.yaml} plus the environment. Validated once at
 * start, then immutable. Every key and default is documented in docs/configuration.md.
 *
 * @param providers upstream providers declared in the file (the environment adds openai and
 *     anthropic, see {@link ProviderSpec})
 * @param models named models: what clients ask for, and where each is served
 * @param limits request limits
 * @param tracing trace writer settings
 * @param structuredOutputs checking and repairing answers against a JSON schema
 * @param retention how long traces are kept
 * @param routing retries, cooldown, and routes with fallbacks
 * @param redisUrl Redis for counters shared by several instances ({@code KEEL_REDIS_URL} wins);
 *     null keeps budgets and rate limits in process, per instance
 * @param budgets budget periods' time zone, alert webhook and spend flushing
 * @param rateLimits rate limits of the master key and of deployments
 * @param alerts error-rate and p95-latency alerts over a window
 * @param promptCaching marking stable prefixes for provider prompt caching
 * @param onlineEval rules scoring a sample of live traces, and their queue and workers
 */
public record KeelConfig(
    List<ProviderSpec> providers,
    List<ModelSpec> models,
    Limits limits,
    Tracing tracing,
    StructuredOutputs structuredOutputs,
    Retention retention,
    RoutingConfig routing,
    String redisUrl,
    BudgetSettings budgets,
    RateLimitSettings rateLimits,
    CacheConfig cache,
    AlertSettings alerts,
    PromptCachingConfig promptCaching,
    OnlineEvalSettings onlineEval) {

  public KeelConfig {
    providers = providers == null ? List.of() : List.copyOf(providers);
    models = models == null ? List.of() : List.copyOf(models);
    limits = limits == null ? Limits.DEFAULT : limits;
    tracing = tracing == null ? Tracing.DEFAULT : tracing;
    routing = routing == null ? RoutingConfig.DEFAULT : routing;
    cache = cache == null ? CacheConfig.DEFAULT : cache;
    structuredOutputs = structuredOutputs == null ? StructuredOutputs.DEFAULT : structuredOutputs;
    retention = retention == null ? Retention.DEFAULT : retention;
    redisUrl = redisUrl == null || redisUrl.isBlank() ? null : redisUrl.strip();
    budgets = budgets == null ? BudgetSettings.DEFAULT : budgets;
    rateLimits = rateLimits == null ? RateLimitSettings.DEFAULT : rateLimits;
    alerts = alerts == null ? AlertSettings.DEFAULT : alerts;
    promptCaching = promptCaching == null ? PromptCachingConfig.DEFAULT : promptCaching;
    onlineEval = onlineEval == null ? OnlineEvalSettings.DEFAULT : onlineEval;
    validate(providers, models);
  }

  /** Everything but retention and routing, which stay at their defaults. */
  public KeelConfig(List<ProviderSpec> providers, List<ModelSpec> models, Limits limits,
      Tracing tracing, StructuredOutputs structuredOutputs) {
    this(providers, models, limits, tracing, structuredOutputs, null, null, null, null, null,
        null, null, null, null);
  }

  /**
   * @param days traces older than this many days are deleted, with their observations and
   *     scores, by a job that runs every hour; null (the default) keeps everything
   */
  public record Retention(Integer days) {
    public static final Retention DEFAULT = new Retention(null);

    public Retention {
      if (days != null && days <= 0) {
        throw new IllegalArgumentException("retention.days must be positive: " + days);
      }
    }
  }

  public static final KeelConfig EMPTY = new KeelConfig(null, null, null, null, null);

  /** A configuration that only declares {@code models}; everything else at its default. */
  public static KeelConfig ofModels(List<ModelSpec> models) {
    return new KeelConfig(null, models, null, null, null);
  }

  /** Reads {@code file}; a missing file is an error, a malformed one names what is wrong. */
  public static KeelConfig load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("config file not found: " + file);
    }
    var mapper = new ObjectMapper(new YAMLFactory())
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    try {
      // An empty or comments-only file is an empty config; readValue would call it an error.
      var tree = mapper.readTree(file.toFile());
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        return EMPTY;
      }
      KeelConfig c = mapper.readValue(file.toFile(), KeelConfig.class);
      return c == null ? EMPTY : c;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ConfigFileErrors.of(file, e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static void validate(List<ProviderSpec> providers, List<ModelSpec> models) {
    Set<String> names = new HashSet<>();
    for (ProviderSpec p : providers) {
      if (!names.add(p.name())) {
        throw new IllegalArgumentException("provider declared twice: " + p.name());
      }
    }
    Set<String> modelNames = new HashSet<>();
    for (ModelSpec m : models) {
      if (!modelNames.add(m.name())) {
        throw new IllegalArgumentException("model declared twice: " + m.name());
      }
    }
  }

  /**
   * An upstream provider.
   *
   * @param name how models refer to it ({@code openai} and {@code anthropic} are taken by the
   *     environment's providers unless declared here)
   * @param format wire format: {@code openai} (OpenAI and every compatible server) or
   *     {@code anthropic}
   * @param baseUrl for openai format including {@code /v1}; for anthropic without it
   * @param apiKeyEnv name of the environment variable holding the key (keys never go in files)
   * @param timeoutSeconds time to response headers, and between stream chunks
   */
  public record ProviderSpec(String name, String format, String baseUrl, String apiKeyEnv,
      Integer timeoutSeconds, Map<String, String> headers) {

    public ProviderSpec {
      require(name, "providers[].name");
      require(baseUrl, "providers[" + name + "].base_url");
      format = format == null ? "openai" : format.toLowerCase();
      if (!format.equals("openai") && !format.equals("anthropic")) {
        throw new IllegalArgumentException(
            "providers[" + name + "].format must be openai or anthropic: " + format);
      }
      if (timeoutSeconds != null && timeoutSeconds <= 0) {
        throw new IllegalArgumentException(
            "providers[" + name + "].timeout_seconds must be positive: " + timeoutSeconds);
      }
      headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
  }

  /**
   * A model clients can name.
   *
   * @param name the name clients send
   * @param provider the provider that serves it
   * @param model the provider's name for it (defaults to {@code name})
   * @param timeoutSeconds overrides the provider's timeout
   * @param price per-million-token prices that override the price table
   */
  public record ModelSpec(String name, String provider, String model, Integer timeoutSeconds,
      PriceOverride price) {

    public ModelSpec {
      require(name, "models[].name");
      require(provider, "models[" + name + "].provider");
      model = model == null ? name : model;
      if (timeoutSeconds != null && timeoutSeconds <= 0) {
        throw new IllegalArgumentException(
            "models[" + name + "].timeout_seconds must be positive: " + timeoutSeconds);
      }
    }

    /**
     * The price-table name its calls are priced by: its own name when it carries a price,
     * so that price applies to its calls only, else the upstream model's.
     */
    public String priceName() {
      return price == null ? model : name;
    }
  }

  /** Prices in USD per million tokens; absent ones come from the price table. */
  public record PriceOverride(BigDecimal inputPerMillion, BigDecimal outputPerMillion,
      BigDecimal cacheReadPerMillion, BigDecimal cacheWritePerMillion) {

    public PriceOverride {
      notNegative("input_per_million", inputPerMillion);
      notNegative("output_per_million", outputPerMillion);
      notNegative("cache_read_per_million", cacheReadPerMillion);
      notNegative("cache_write_per_million", cacheWritePerMillion);
    }

    private static void notNegative(String key, BigDecimal usdPerMillion) {
      if (usdPerMillion != null && usdPerMillion.signum() < 0) {
        throw new IllegalArgumentException("models[].price." + key
            + " must not be negative: " + usdPerMillion.toPlainString());
      }
    }
  }

  /**
   * @param maxBodyBytes largest request body accepted (413 beyond)
   * @param upstreamTimeoutSeconds default time an upstream may take to answer
   * @param maxIngestionBodyBytes largest body of a trace ingestion request (Langfuse batch and
   *     OTLP), 4.5 MB by default as Langfuse's
   */
  public record Limits(Long maxBodyBytes, Integer upstreamTimeoutSeconds,
      Long maxIngestionBodyBytes) {
    public static final Limits DEFAULT = new Limits(null, null, null);

    public Limits {
      maxBodyBytes = maxBodyBytes == null ? 10L * 1024 * 1024 : maxBodyBytes;
      maxIngestionBodyBytes = maxIngestionBodyBytes == null ? 4_718_592L : maxIngestionBodyBytes;
      if (maxIngestionBodyBytes <= 0) {
        throw new IllegalArgumentException("limits.max_ingestion_body_bytes must be positive: "
            + maxIngestionBodyBytes);
      }
      upstreamTimeoutSeconds = upstreamTimeoutSeconds == null ? 600 : upstreamTimeoutSeconds;
      if (maxBodyBytes <= 0) {
        throw new IllegalArgumentException("limits.max_body_bytes must be positive: "
            + maxBodyBytes);
      }
      if (upstreamTimeoutSeconds <= 0) {
        throw new IllegalArgumentException("limits.upstream_timeout_seconds must be positive: "
            + upstreamTimeoutSeconds);
      }
    }
  }

  /**
   * @param queueCapacity traces waiting to be written before new ones are dropped (and counted)
   * @param batchSize most traces written in one transaction
   * @param flushMillis longest a trace waits before its batch is written
   * @param captureContent store prompts and completions in traces (on by default; off keeps
   *     only usage, cost and timing)
   */
  public record Tracing(Integer queueCapacity, Integer batchSize, Integer flushMillis,
      Boolean captureContent) {
    public static final Tracing DEFAULT = new Tracing(null, null, null, null);

    public Tracing {
      queueCapacity = queueCapacity == null ? 50_000 : queueCapacity;
      batchSize = batchSize == null ? 500 : batchSize;
      flushMillis = flushMillis == null ? 200 : flushMillis;
      captureContent = captureContent == null || captureContent;
      for (var e : List.of(Map.entry("queue_capacity", queueCapacity),
          Map.entry("batch_size", batchSize), Map.entry("flush_millis", flushMillis))) {
        if (e.getValue() <= 0) {
          throw new IllegalArgumentException(
              "tracing." + e.getKey() + " must be positive: " + e.getValue());
        }
      }
    }
  }

  /**
   * @param maxRepairs how many times Keel asks the model again, with the validation errors,
   *     when its answer does not match the request's JSON schema (0 turns repair off)
   */
  public record StructuredOutputs(Integer maxRepairs) {
    public static final StructuredOutputs DEFAULT = new StructuredOutputs(null);

    public StructuredOutputs {
      maxRepairs = maxRepairs == null ? 1 : maxRepairs;
      if (maxRepairs < 0 || maxRepairs > 5) {
        throw new IllegalArgumentException(
            "structured_outputs.max_repairs must be between 0 and 5: " + maxRepairs);
      }
    }
  }

  /** Names of providers declared in the file. */
  public List<String> providerNames() {
    var out = new ArrayList<String>();
    providers.forEach(p -> out.add(p.name()));
    return out;
  }

  private static void require(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " is required");
    }
  }
}
