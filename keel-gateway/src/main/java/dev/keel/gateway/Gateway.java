package dev.keel.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.cost.Cost;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.trace.Level;
import dev.keel.core.trace.ObservationType;
import dev.keel.core.usage.Usage;
import dev.keel.gateway.cache.ResponseCache;
import dev.keel.gateway.config.KeelConfig;
import dev.keel.gateway.config.PromptCachingConfig;
import dev.keel.prompts.PromptService;
import dev.keel.gateway.config.RoutingConfig;
import dev.keel.gateway.routing.DeploymentHealth;
import dev.keel.gateway.routing.Difficulty;
import dev.keel.gateway.routing.RoutePlan;
import dev.keel.gateway.routing.RoutePlanner;
import dev.keel.gateway.routing.RouteQuality;
import dev.keel.store.RoutingStore;
import java.time.Duration;
import dev.keel.gateway.limits.Admission;
import dev.keel.gateway.metrics.Metrics;
import dev.keel.gateway.structured.SchemaValidator;
import dev.keel.gateway.structured.StructuredOutput;
import dev.keel.gateway.routing.Deployment;
import dev.keel.gateway.routing.ModelRouter;
import dev.keel.gateway.trace.CallRecord;
import dev.keel.gateway.trace.CallRecorder;
import dev.keel.providers.ProviderClient;
import dev.keel.providers.Translation;
import dev.keel.providers.UpstreamException;
import dev.keel.providers.UpstreamResponse;
import dev.keel.providers.UsageParser;
import dev.keel.providers.WireFormat;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway's request path: resolve the model, translate the request when the client and the
 * provider speak different wire formats, call the provider, translate back, price the usage,
 * record the trace (off the request path) and answer.
 *
 * <p>Same-format calls pass the body through with only {@code model} replaced, so fields Keel
 * does not know about still reach the provider.
 */
public final class Gateway {

  static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.WRITE_BIGDECIMAL_AS_PLAIN)
      .configure(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN,
          true);

  private final ModelRouter router;
  private final ProviderClient client;
  private final Pricing pricing;
  private final CallRecorder recorder;
  private final Metrics metrics;
  private final Clock clock;
  private final KeelConfig.StructuredOutputs config;
  private final Admission admission;
  private final RoutingConfig routing;
  private final RoutePlanner planner;
  private final SchemaValidator validator = new SchemaValidator();
  private volatile PromptService prompts;
  private final ResponseCache cache;
  private final PromptCachingConfig promptCaching;

  public Gateway(ModelRouter router, ProviderClient client, Pricing pricing,
      CallRecorder recorder, Metrics metrics, Clock clock, KeelConfig config,
      Admission admission) {
    this.router = router;
    this.routing = config.routing();
    this.planner = new RoutePlanner(router, routing, new DeploymentHealth(
        routing.cooldown().failures(), Duration.ofSeconds(routing.cooldown().seconds()), clock),
        pricing.table());
    this.client = client;
    this.pricing = pricing;
    this.recorder = recorder;
    this.metrics = metrics;
    this.clock = clock;
    this.config = config.structuredOutputs();
    this.cache = new ResponseCache(config.cache());
    this.promptCaching = config.promptCaching();
    this.admission = admission;
  }

  /**
   * Starts measuring quality per model for cost_aware routes with a quality bar, from the
   * scores in {@code store}; the routes then keep easy requests away from deployments below it.
   */
  public RouteQuality measureQuality(RoutingStore store, Clock clock) {
    return RouteQuality.start(planner, store, clock);
  }

  /** Lets chat requests name registered prompts; without it, naming one is a 400. */
  public Gateway withPrompts(PromptService promptService) {
    this.prompts = promptService;
    return this;
  }

  /**
   * Serves a chat call: {@code POST /v1/chat/completions} when {@code clientFormat} is OPENAI,
   * {@code POST /v1/messages} when ANTHROPIC. Returns the resolved deployment's label.
   */
  public String chat(WireFormat clientFormat, ObjectNode body, RequestMeta meta,
      ResponseChannel channel) throws IOException {
    long t0 = System.nanoTime();
    Instant start = clock.instant();
    meta = PromptUse.apply(prompts, clientFormat, body, meta);
    String model = ChatRequests.validate(clientFormat, body);
    meta = ChatRequests.withBodyUser(clientFormat, body, meta);
    ObjectNode request = body;
    RoutePlan plan = planner.plan(model, () -> Difficulty.of(request));
    Deployment d = plan.first();
    WireFormat up = d.endpoint().format();
    ChatRequests.checkTranslatable(clientFormat, plan, body);
    boolean stream = body.path("stream").asBoolean(false);
    ObjectNode original = body;
    Admission.Ticket ticket = admission.admit(meta.principal(), model, d,
        () -> Estimates.cost(pricing, clientFormat, original, d.priceModel()));
    String cacheKey = cache.key(meta.principal(), clientFormat.name(), body);
    var call = new ChatCall(clientFormat, up, d, model, meta, start, t0, ticket,
        ChatRequests.inputOf(clientFormat, body), ChatRequests.parameters(body),
        stream, ChatRequests.wantsStreamUsage(clientFormat, body),
        clientFormat == WireFormat.OPENAI ? Translation.structuredOutputTool(body) : null,
        clientFormat == WireFormat.OPENAI
            ? StructuredOutput.of(body.get("response_format"), validator) : null,
        meta.cache().store() ? cacheKey : null, plan.tier());
    if (cacheKey != null && meta.cache().lookup()) {
      var hit = cache.get(cacheKey);
      if (hit.isPresent()) {
        CacheHits.serve(this, call, hit.get(), channel);
        return hit.get().deployment();
      }
    }
    if (cacheKey != null) {
      var similar = cache.similar(meta.principal(), clientFormat.name(), body,
          meta.cache().lookup(), call.cacheKey());
      if (similar.isPresent()) {
        CacheHits.serve(this, call, similar.get().entry(), similar.get().similarity(), channel);
        return similar.get().entry().deployment();
      }
    }
    // Repairs and other deployments need the client's request, so keep it before it is
    // changed in place.
    ObjectNode repairBase = call.structuredOutput() != null && config.maxRepairs() > 0
        ? body.deepCopy() : null;
    ObjectNode clientBody = plan.hasAlternatives() ? body.deepCopy() : null;
    byte[] bytes = upstreamBody(call, body);
    var attempts = new Attempts(this, call, plan, bytes, clientBody);
    try {
      if (stream) {
        new StreamRelay(this, attempts).relay(channel);
      } else {
        new Completion(this, attempts, repairBase).run(channel);
      }
    } catch (KeelException e) {
      if (attempts.records().size() > 1) {
        channel.errorHeader("x-keel-attempts", String.valueOf(attempts.records().size()));
      }
      throw e;
    }
    return attempts.call().deployment().label();
  }

  /** The upstream body for the call's deployment, made from (and changing) {@code body}. */
  byte[] upstreamBody(ChatCall call, ObjectNode body) {
    ObjectNode upstream = ChatRequests.forUpstream(call.clientFormat(), call.upstreamFormat(),
        body, call.deployment().upstreamModel(), call.streaming());
    if (call.upstreamFormat() == WireFormat.ANTHROPIC) {
      PromptCaching.mark(upstream, promptCaching);
    }
    try {
      return JSON.writeValueAsBytes(upstream);
    } catch (JsonProcessingException e) {
      throw new KeelException(ErrorCode.INTERNAL, "could not serialize the upstream request",
          null, e);
    }
  }

  /** The provider path for the call's wire format. */
  static String path(ChatCall call) {
    return call.upstreamFormat() == WireFormat.OPENAI ? "/chat/completions" : "/v1/messages";
  }

  /** The same call aimed at another deployment (a retry keeps the same one). */
  ChatCall retarget(ChatCall call, Deployment d) {
    if (call.deployment().equals(d)) {
      return call;
    }
    return new ChatCall(call.clientFormat(), d.endpoint().format(), d, call.requestedModel(),
        call.meta(), call.start(), call.startNanos(), call.ticket(), call.input(),
        call.parameters(), call.streaming(), call.wantsStreamUsage(),
        call.structuredOutputTool(), call.structuredOutput(), call.cacheKey(),
        call.routingTier());
  }

  /** Prompt tokens of the client's request, for fallbacks' context windows. */
  long promptTokens(ChatCall call, ObjectNode clientBody) {
    return Estimates.promptTokens(call.clientFormat(), clientBody,
        call.deployment().upstreamModel());
  }

  RoutePlanner planner() {
    return planner;
  }

  RoutingConfig routing() {
    return routing;
  }

  Map<String, String> responseHeaders(ChatCall call, Cost cost) {
    var h = new LinkedHashMap<String, String>();
    h.put("x-keel-trace-id", call.meta().traceId());
    h.put("x-keel-model", call.deployment().label());
    if (cache.enabled()) {
      h.put("x-keel-cache", "miss");
    }
    if (cost != null || !call.streaming()) {
      h.put("x-keel-cost-usd", cost == null ? "unknown" : cost.total().toPlainString());
    }
    h.putAll(call.ticket().headers());
    return h;
  }

  static void injectCost(JsonNode usageNode, Cost cost) {
    if (usageNode instanceof ObjectNode usage && cost != null) {
      usage.put("cost", cost.total());
    }
  }

  /**
   * One answered attempt as a GENERATION: a WARNING naming the model when its price is
   * unknown. Callers whose attempt the provider billed also {@link #count} it.
   */
  CallRecord attempt(ChatCall call, Instant start, Instant end, Instant firstToken,
      String output, Usage usage, Cost cost, Map<String, Object> extra) {
    var md = baseMetadata(call);
    if (usage.estimated()) {
      md.put("usage_estimated", true);
    }
    md.putAll(extra);
    RoutingSavings.record(planner, pricing, call, usage, cost, md);
    Level level = Level.DEFAULT;
    String status = null;
    if (cost == null) {
      level = Level.WARNING;
      status = "no price known for model " + call.deployment().upstreamModel()
          + "; cost not computed";
    }
    if (Boolean.FALSE.equals(extra.get("schema_valid"))) {
      level = Level.WARNING;
      status = "answer did not match the response_format schema: " + extra.get("schema_errors");
    }
    return new CallRecord(call.meta(), traceName(call), ObservationType.GENERATION,
        call.deployment().upstreamModel(), start, end, firstToken, call.parameters(),
        call.input(), output, usage, cost, level, status, md);
  }

  /** A failed attempt: level ERROR, no usage, no cost (the provider did not bill it). */
  CallRecord failedAttempt(ChatCall call, Instant start, KeelException e, String partialOutput) {
    var md = baseMetadata(call);
    if (e instanceof UpstreamException u) {
      md.put("error_kind", u.kind().name());
      md.put("upstream_status", u.upstreamStatus());
    }
    return new CallRecord(call.meta(), traceName(call), ObservationType.GENERATION,
        call.deployment().upstreamModel(), start, clock.instant(), null, call.parameters(),
        call.input(), partialOutput, Usage.NONE, null, Level.ERROR, e.getMessage(), md);
  }

  /**
   * The summed cost of the attempts the provider billed. Failed attempts were not billed and add
   * nothing; null only when an attempt was billed at a price Keel does not know and none had a
   * known one.
   */
  static Cost billed(List<CallRecord> attempts) {
    BigDecimal sum = BigDecimal.ZERO;
    boolean known = false;
    boolean unknown = false;
    for (CallRecord a : attempts) {
      if (a.cost() != null) {
        sum = sum.add(a.cost().total());
        known = true;
      } else if (!a.usage().isEmpty()) {
        unknown = true;
      }
    }
    return unknown && !known ? null : new Cost(Map.of(Cost.TOTAL, sum));
  }

  /** One client request, one trace: its attempts in order, the final answer as its output. */
  void record(ChatCall call, List<CallRecord> attempts, String finalOutput) {
    CallRecord last = attempts.get(attempts.size() - 1);
    var summary = new CallRecord(call.meta(), last.traceName(), last.type(), last.model(),
        call.start(), last.end(), null, last.modelParameters(), call.input(), finalOutput,
        last.usage(), last.cost(), last.level(), last.statusMessage(), last.metadata());
    recorder.record(summary, attempts);
    call.ticket().settle(billed(attempts), attempts.stream()
        .mapToLong(a -> a.usage().get(Usage.TOTAL)).sum());
  }

  private Map<String, Object> baseMetadata(ChatCall call) {
    var md = new LinkedHashMap<String, Object>();
    md.put("provider", call.deployment().provider());
    md.put("requested_model", call.requestedModel());
    md.put("client_format", call.clientFormat().name().toLowerCase());
    md.put("upstream_format", call.upstreamFormat().name().toLowerCase());
    md.put("stream", call.streaming());
    if (call.deployment().simulated()) {
      md.put("simulated", true);
    }
    if (call.routingTier() != null) {
      md.put("routing_route", call.requestedModel());
      md.put("routing_tier", call.routingTier());
    }
    return md;
  }

  /** Adds a billed call's tokens and cost to the metrics. */
  void count(String model, Usage usage, Cost cost) {
    usage.details().forEach((k, v) -> {
      if (!Usage.TOTAL.equals(k)) {
        metrics.tokens(model, k, v);
      }
    });
    if (cost != null) {
      metrics.cost(model, cost.total());
    }
  }

  private static String traceName(ChatCall call) {
    if (call.meta().traceName() != null) {
      return call.meta().traceName();
    }
    return call.clientFormat() == WireFormat.OPENAI ? "chat.completions" : "messages";
  }

  ResponseCache cache() {
    return cache;
  }

  Admission admission() {
    return admission;
  }

  SchemaValidator validator() {
    return validator;
  }

  int maxRepairs() {
    return config.maxRepairs();
  }

  Clock clock() {
    return clock;
  }

  Pricing pricing() {
    return pricing;
  }

  ModelRouter router() {
    return router;
  }

  ProviderClient client() {
    return client;
  }

  CallRecorder recorder() {
    return recorder;
  }

  Metrics metrics() {
    return metrics;
  }

  static String millis(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.3f", Math.max(0, nanos) / 1e6);
  }

  /** Serves {@code POST /v1/embeddings}; returns the deployment's label. */
  public String embeddings(ObjectNode body, RequestMeta meta, ResponseChannel channel)
      throws IOException {
    return new Embeddings(this).serve(body, meta, channel);
  }

  /** The {@code GET /v1/models} answer in OpenAI's shape. */
  public ObjectNode models() {
    return models(null);
  }

  /** The {@code GET /v1/models} answer in OpenAI's shape: what {@code p}'s key may use. */
  public ObjectNode models(dev.keel.gateway.auth.Principal p) {
    return ModelList.openAi(modelIds(p));
  }

  /**
   * The {@code GET /v1/models} answer in Anthropic's shape, one page of it ({@code limit} 1 to
   * 1000, default 20; null for the defaults).
   */
  public ObjectNode anthropicModels(Integer limit, String afterId, String beforeId) {
    return anthropicModels(null, limit, afterId, beforeId);
  }

  /** As {@link #anthropicModels(Integer, String, String)}, what {@code p}'s key may use. */
  public ObjectNode anthropicModels(dev.keel.gateway.auth.Principal p, Integer limit,
      String afterId, String beforeId) {
    return ModelList.anthropic(modelIds(p), new ModelList.Page(limit, afterId, beforeId));
  }

  public ObjectNode model(String id, boolean anthropic) {
    return model(null, id, anthropic);
  }

  /**
   * {@code GET /v1/models/{id}} in Anthropic's shape when {@code anthropic}, else OpenAI's: a
   * listed model or route, or a name the gateway would pass to a real provider and whose price
   * is known (so the provider has it); a 404 (model_not_found) naming it otherwise, also for a
   * model outside {@code p}'s key scope (null: no scope).
   */
  public ObjectNode model(dev.keel.gateway.auth.Principal p, String id, boolean anthropic) {
    if (!modelIds(p).contains(id) && !knownUnlisted(p, id)) {
      boolean scoped = p != null && !p.settings().models().isEmpty();
      throw new KeelException(ErrorCode.MODEL_NOT_FOUND, "model '" + id + "' does not exist "
          + "here" + (scoped ? " for this key" : "") + "; GET /v1/models lists the models "
          + (scoped ? "this key may use" : "Keel serves"), "model", null);
    }
    return anthropic ? ModelList.anthropicModel(id) : ModelList.openAiModel(id);
  }

  private boolean knownUnlisted(dev.keel.gateway.auth.Principal p, String id) {
    try {
      Deployment d = router.resolve(id);
      return (p == null || p.settings().allows(id, d.label()))
          && pricing.table().find(d.upstreamModel()).isPresent();
    } catch (KeelException notServed) {
      return false;
    }
  }

  private List<String> modelIds(dev.keel.gateway.auth.Principal p) {
    var ids = new java.util.ArrayList<>(planner.routeNames());
    router.listedModels().stream().filter(m -> !ids.contains(m)).forEach(ids::add);
    if (p != null && !p.settings().models().isEmpty()) {
      ids.removeIf(id -> !p.settings().allows(id, label(id)));
    }
    return ids;
  }

  private String label(String id) {
    try {
      return router.resolve(id).label();
    } catch (KeelException notAModel) {
      return id;
    }
  }

  static String toJson(JsonNode n) {
    try {
      return n == null || n.isMissingNode() || n.isNull() ? null : JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new KeelException(ErrorCode.INTERNAL, "could not serialize JSON", null, e);
    }
  }
}
