package dev.keel.server;

import dev.keel.eval.online.OnlineEvaluator;
import dev.keel.eval.online.OnlineRules;
import dev.keel.gateway.Gateway;
import dev.keel.prompts.PromptService;
import dev.keel.gateway.Pricing;
import dev.keel.gateway.alerts.HealthAlerts;
import dev.keel.gateway.auth.KeyService;
import dev.keel.gateway.limits.CostControl;
import dev.keel.gateway.routing.RouteQuality;
import dev.keel.gateway.config.KeelConfig;
import dev.keel.gateway.metrics.Metrics;
import dev.keel.gateway.routing.ModelRouter;
import dev.keel.gateway.trace.CallRecorder;
import dev.keel.providers.Endpoint;
import dev.keel.providers.ProviderClient;
import dev.keel.simulator.SimulatedModel;
import dev.keel.simulator.Simulator;
import dev.keel.simulator.SimulatorConfig;
import dev.keel.store.Store;
import dev.keel.store.StoreConfig;
import dev.keel.store.TraceWriter;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Keel: store, keys, providers, gateway and HTTP server, wired together. Start-up logs
 * one line per fact (address, store, providers, models, keys); {@link #close()} stops taking
 * requests, flushes the trace writer and closes the store, in that order.
 */
public final class KeelServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KeelServer.class);
  /** How long a graceful stop waits for requests in flight, streams included. */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(25);

  private final Store store;
  private final TraceWriter writer;
  private final Simulator simulator;
  private final WebServer web;
  private final String generatedMasterKey;
  private final AccessLog accessLog;
  private volatile boolean closed;
  private volatile CostControl costControl;
  private volatile HealthAlerts healthAlerts;
  private volatile OnlineEvaluator onlineEval;
  private volatile RouteQuality routeQuality;

  private KeelServer(Store store, TraceWriter writer, Simulator simulator, WebServer web,
      String generatedMasterKey, AccessLog accessLog) {
    this.accessLog = accessLog;
    this.store = store;
    this.writer = writer;
    this.simulator = simulator;
    this.web = web;
    this.generatedMasterKey = generatedMasterKey;
  }

  /** Starts Keel; returns once it is listening. */
  public static KeelServer start(ServerSettings s) {
    requirePortFree(s.host(), s.port());
    KeelConfig config = s.configFile() == null ? KeelConfig.EMPTY : KeelConfig.load(s.configFile());
    Store store = Store.open(s.databaseUrl() == null ? StoreConfig.sqlite(s.dataDir())
        : StoreConfig.postgres(s.databaseUrl()));
    Simulator simulator = null;
    TraceWriter writer = null;
    CostControl costControl = null;
    OnlineEvaluator onlineEval = null;
    RouteQuality quality = null;
    try {
      var keys = new KeyService(store.keys(), s.env().get("KEEL_MASTER_KEY"),
          Clock.systemUTC());
      String generated = keys.ensureMasterKey().orElse(null);
      boolean pairAdded = keys.ensureProjectPair(s.env().get("KEEL_INIT_PROJECT_PUBLIC_KEY"),
          s.env().get("KEEL_INIT_PROJECT_SECRET_KEY"));

      Map<String, Endpoint> providers = Providers.fromEnvAndConfig(s.env(), config);
      List<String> simModels = List.of();
      Set<String> simulated = Set.of();
      if (providers.isEmpty()) {
        simulator = Simulator.start(new SimulatorConfig("127.0.0.1", 0, null));
        providers = Providers.simulated(simulator.baseUrl(),
            Duration.ofSeconds(config.limits().upstreamTimeoutSeconds()));
        simModels = Simulator.models().stream().map(SimulatedModel::id).toList();
        simulated = Set.of("openai", "anthropic");
      }
      var router = new ModelRouter(providers, config, simulated, simModels);
      var pricing = Pricing.from(config, s.dataDir());
      pricing.useRuntimePrices(store.settings().prices());
      var tracing = config.tracing();
      writer = new TraceWriter(store.traces(), tracing.queueCapacity(), tracing.batchSize(),
          Duration.ofMillis(tracing.flushMillis()), store.traceWriters());
      var metrics = new Metrics();
      TraceWriter w = writer;
      metrics.gauge("keel_trace_queue_depth", w::queueDepth);
      metrics.counterGauge("keel_trace_dropped_total", "Traces dropped: refused because the"
          + " trace writer's queue was full, or given up on after the store failed every retry.",
          w::dropped);
      metrics.counterGauge("keel_trace_written_total", "Traces committed to the store.",
          w::written);
      var recorder = new CallRecorder(writer, tracing.captureContent(),
          release(s, config));
      costControl = CostControl.start(store.budgets(), config, s.env(), Clock.systemUTC());
      if (costControl.shared()) {
        CostControl limits = costControl;
        metrics.gauge("keel_limits_redis_up", () -> limits.redisUp() ? 1 : 0);
        metrics.counterGauge("keel_limits_redis_failovers_total", "Times Redis became "
            + "unreachable and limits fell back to this instance.", limits::redisFailovers);
      }
      var gateway = new Gateway(router, new ProviderClient(), pricing, recorder, metrics,
          Clock.systemUTC(), config, costControl);
      gateway.withPrompts(new PromptService(store.prompts(), Clock.systemUTC()));
      var judges = new GatewayJudges(gateway, router, config.routing().routes().stream()
          .map(r -> r.name()).collect(java.util.stream.Collectors.toSet()));
      onlineEval = new OnlineEvaluator(store, KeyService.DEFAULT_PROJECT, judges,
          Clock.systemUTC(), config.onlineEval().queueCapacity(),
          config.onlineEval().concurrency());
      var onlineRules = new OnlineRules(store.onlineEval(), KeyService.DEFAULT_PROJECT,
          onlineEval, Clock.systemUTC());
      onlineRules.start(config.onlineEval().rules());
      writer.onCommit(onlineEval);
      metrics.section(onlineEval::metrics);
      quality = gateway.measureQuality(store.routing(), Clock.systemUTC());

      var ctx = new ServerContext(config, store, keys, metrics, writer, pricing,
          Clock.systemUTC(), costControl, onlineRules, router);
      HttpRouting.Builder routing = HttpRouting.builder();
      var accessLog = new AccessLog(metrics);
      accessLog.register(routing);
      new GatewayRoutes(gateway, keys, config.limits().maxBodyBytes()).register(routing);
      new RoutingReportRoutes(ctx, quality).register(routing);
      registerApis(ctx, routing);
      new FallbackRoutes().register(routing);
      // No Helidon payload limit: RequestBodies enforces limits.max_body_bytes itself, so the
      // 413 comes in the error shape of the route's API instead of as an empty answer.
      // Keel stops itself (draining requests first); Helidon's own hook would cut them off.
      WebServer web = WebServer.builder().host(s.host()).port(s.port()).shutdownHook(false)
          .contentEncoding(GzipRequests.context()).directHandlers(DirectErrors.handlers())
          .routing(routing).build().start();
      if (web.port() < 0) {
        web.stop();
        throw new IllegalStateException("could not listen on " + s.host() + ":" + s.port()
            + "; the log above says why");
      }

      warmUp();
      store.refreshRollupsEvery(Duration.ofSeconds(1)); // pages then find their hours clean
      var server = new KeelServer(store, writer, simulator, web, generated, accessLog);
      server.costControl = costControl;
      server.onlineEval = onlineEval;
      server.routeQuality = quality;
      server.healthAlerts = HealthAlerts.start(store.reports(), store.alerts(), config.alerts(),
          Clock.systemUTC());
      server.logFacts(s, store, router, simulator, keys, pairAdded);
      return server;
    } catch (RuntimeException e) {
      if (onlineEval != null) {
        onlineEval.close();
      }
      if (quality != null) {
        quality.close();
      }
      if (writer != null) {
        writer.close();
      }
      if (costControl != null) {
        costControl.close();
      }
      if (simulator != null) {
        simulator.close();
      }
      store.close();
      throw e;
    }
  }

  public int port() {
    return web.port();
  }

  /** The master key generated at this start, if one was; it is never shown again. */
  public java.util.Optional<String> generatedMasterKey() {
    return java.util.Optional.ofNullable(generatedMasterKey);
  }

  /** Writes every queued trace now (tests and graceful stop use it). */
  public void flushTraces() {
    writer.flush();
  }

  /** Traces committed to the store since start. */
  public long tracesWritten() {
    return writer.written();
  }

  /** Traces dropped: the writer's queue was full, or the store failed every retry. */
  public long tracesDropped() {
    return writer.dropped();
  }

  public Store store() {
    return store;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    int unfinished = accessLog.drain(SHUTDOWN_GRACE);
    if (unfinished > 0) {
      log.warn("stopping with {} requests still running after {} s; their traces are recorded "
          + "as cut off", unfinished, SHUTDOWN_GRACE.toSeconds());
    }
    web.stop();
    if (healthAlerts != null) {
      healthAlerts.close();
    }
    onlineEval.close();
    routeQuality.close();
    writer.close();
    costControl.close();
    if (simulator != null) {
      simulator.close();
    }
    store.close();
    log.info("Keel stopped; traces flushed ({} written, {} dropped)", writer.written(),
        writer.dropped());
  }

  /**
   * Fails fast, with one clear line, when the port is taken (most often by another Keel), before
   * the store is opened or the simulator started.
   */
  private static void requirePortFree(String host, int port) {
    if (port == 0) {
      return;
    }
    try (var socket = new java.net.ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new java.net.InetSocketAddress(host, port));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot listen on " + host + ":" + port + " ("
          + e.getMessage() + "); is another Keel running? Stop it or choose another --port");
    }
  }

  /**
   * The release traces run under: {@code KEEL_RELEASE}, else {@code config-} and a short hash of
   * the active configuration, so traces from before and after a config change can be told apart.
   */
  static String release(ServerSettings s, KeelConfig config) {
    String env = s.env().get("KEEL_RELEASE");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    try {
      byte[] canonical = new com.fasterxml.jackson.databind.ObjectMapper()
          .configure(com.fasterxml.jackson.databind.SerializationFeature
              .ORDER_MAP_ENTRIES_BY_KEYS, true)
          .writeValueAsBytes(config);
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(canonical);
      return "config-" + java.util.HexFormat.of().formatHex(digest, 0, 6);
    } catch (Exception e) {
      return null;
    }
  }

  /** The APIs beside the gateway: each feature's routes, one line each. */
  private static void registerApis(ServerContext ctx, HttpRouting.Builder routing) {
    new PublicApiRoutes(ctx.store(), ctx.keys(), ctx.metrics()).register(routing);
    new OtelRoutes(ctx).register(routing);
    new KeysRoutes(ctx).register(routing);
    new BudgetRoutes(ctx).register(routing);
    new PromptRoutes(ctx).register(routing);
    new IngestionRoutes(ctx).register(routing);
    new ScoreRoutes(ctx).register(routing);
    new DatasetRoutes(ctx).register(routing);
    new SessionRoutes(ctx).register(routing);
    new ReportRoutes(ctx).register(routing);
    new dev.keel.server.ui.UiRoutes(ctx.store(), ctx.keys(), ctx.clock(), ctx.pricer(),
        ctx.config().retention().days()).register(routing);
    new CostReportRoutes(ctx).register(routing);
    new OnlineEvalRoutes(ctx).register(routing);
  }

  /**
   * Loads the tokenizers in the background, so that the first request does not wait for them
   * and start-up does not either. (The price table is already read: Pricing.from needs it.)
   */
  private static void warmUp() {
    Thread.ofVirtual().name("keel-warm-up").start(() -> {
      dev.keel.core.tokens.TokenCounter.count("gpt-4o", "warm up");
      dev.keel.core.tokens.TokenCounter.count("gpt-4", "warm up");
    });
  }

  private void logFacts(ServerSettings s, Store store, ModelRouter router, Simulator sim,
      KeyService keys, boolean pairAdded) {
    log.info("Keel listening on http://{}:{}", s.host(), web.port());
    log.info("store: {} ({})", store.dialect(), store.describe());
    if (sim != null) {
      log.info("providers: none configured (no OPENAI_API_KEY, OPENAI_BASE_URL, "
          + "ANTHROPIC_API_KEY or keel.yaml providers); using the built-in simulator at {}",
          sim.baseUrl());
      log.info("models (simulated, priced as their real twins): {}", router.listedModels());
    } else {
      router.providers().forEach((name, e) -> log.info("provider {}: {} API at {}", name,
          e.format().name().toLowerCase(), e.baseUrl()));
      log.info("models: declared {}; others are routed by name (claude* to anthropic, the rest "
          + "to openai) or by a provider/ prefix", router.listedModels());
    }
    log.info("master key: {}", keys.masterKeySource());
    if (pairAdded) {
      log.info("project key pair: added from KEEL_INIT_PROJECT_PUBLIC_KEY / _SECRET_KEY");
    }
  }
}
