package dev.keel.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.cost.Cost;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.usage.Usage;
import dev.keel.gateway.cache.ResponseCache;
import dev.keel.gateway.structured.SchemaValidator;
import dev.keel.gateway.structured.StructuredOutput;
import dev.keel.gateway.trace.CallRecord;
import dev.keel.providers.Translation;
import dev.keel.providers.UpstreamException;
import dev.keel.providers.UpstreamResponse;
import dev.keel.providers.UsageParser;
import dev.keel.providers.WireFormat;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A non-streaming chat call. {@link Attempts} gets an answer (retries and fallbacks); when the
 * answer must match a JSON schema and does not, Keel asks again with the validation errors (a
 * repair), up to {@code structured_outputs.max_repairs} times. Every attempt is its own
 * GENERATION on the trace; the client pays for all of them, so the cost it sees covers all.
 */
final class Completion {

  private final Gateway gateway;
  private final Attempts attempts;
  private final ObjectNode repairBase;
  private long upstreamNanos;
  private BigDecimal totalCost = BigDecimal.ZERO;
  private boolean costUnknown;
  private ObjectNode lastUpstream;
  private String attemptInput;

  /** @param repairBase a copy of the client's request for repairs, or null for no repairs */
  Completion(Gateway gateway, Attempts attempts, ObjectNode repairBase) {
    this.gateway = gateway;
    this.attempts = attempts;
    this.repairBase = repairBase;
  }

  void run(ResponseChannel channel) throws IOException {
    java.util.function.Function<ChatCall, byte[]> bodyFor = attempts::body;
    for (int attempt = 0; ; attempt++) {
      ObjectNode out = attempts.run(this::send, bodyFor);
      Instant start = attempts.lastStart();
      ChatCall call = attempts.call();
      String output = ChatRequests.outputOf(call.clientFormat(), out);
      Usage usage = usageOf(call, output);
      Cost cost = gateway.pricing().cost(call.deployment().priceModel(), usage).orElse(null);
      addCost(cost);
      StructuredOutput so = call.structuredOutput();
      // A turn that calls tools is not the answer yet: the schema applies to the final one.
      Map<String, Object> check = so == null || callsTools(out) ? Map.of()
          : schemaCheck(gateway.validator(), so, contentOf(out));
      if (attempt > 0) {
        check = withRepair(check, attempt);
      }
      gateway.count(call.deployment().upstreamModel(), usage, cost);
      CallRecord record = gateway.attempt(call, start, gateway.clock().instant(), null, output,
          usage, cost, check);
      attempts.records().add(attemptInput == null ? record : record.withInput(attemptInput));
      if (!Boolean.FALSE.equals(check.get("schema_valid"))) {
        respond(call, out, channel);
        return;
      }
      if (repairBase == null || attempt >= gateway.maxRepairs()) {
        gateway.record(call, attempts.records(), output);
        // Every attempt was answered and billed although none is usable: say what it cost.
        channel.errorHeader("x-keel-cost-usd", costUnknown ? "unknown"
            : totalCost.toPlainString());
        throw new KeelException(ErrorCode.OUTPUT_SCHEMA_MISMATCH, "the model's answer did not "
            + "match the response_format schema after " + (attempt + 1) + " attempt(s): "
            + check.get("schema_errors"), "response_format", null);
      }
      String bad = contentOf(out);
      String errors = (String) check.get("schema_errors");
      bodyFor = c -> repairBody(c, bad, errors);
    }
  }

  /** Validation result for the trace: {@code schema_valid} and, when false, the errors. */
  static Map<String, Object> schemaCheck(SchemaValidator validator, StructuredOutput so,
      String content) {
    String violations = validator.violations(so.schemaJson(), content);
    var md = new LinkedHashMap<String, Object>();
    md.put("schema_valid", violations.isEmpty());
    if (!violations.isEmpty()) {
      md.put("schema_errors", violations);
    }
    return md;
  }

  /** True when an OpenAI-format answer's first choice calls tools. */
  static boolean callsTools(ObjectNode openAiResponse) {
    JsonNode calls = openAiResponse.path("choices").path(0).path("message").path("tool_calls");
    return calls.isArray() && !calls.isEmpty();
  }

  /** The text an OpenAI-format answer carries in its first choice, or null. */
  static String contentOf(ObjectNode openAiResponse) {
    JsonNode c = openAiResponse.path("choices").path(0).path("message").path("content");
    return c.isTextual() ? c.asText() : null;
  }

  private ObjectNode send(ChatCall call, byte[] body) {
    long u0 = System.nanoTime();
    UpstreamResponse r = gateway.client().send(call.deployment().endpoint(), Gateway.path(call),
        body);
    upstreamNanos += System.nanoTime() - u0;
    if (!(r.json() instanceof ObjectNode upstream)) {
      throw new UpstreamException(UpstreamException.Kind.MALFORMED_RESPONSE,
          call.deployment().provider(), r.status(), null, null, "provider "
          + call.deployment().provider() + " answered with JSON that is not an object", null);
    }
    lastUpstream = upstream;
    if (call.clientFormat() == call.upstreamFormat()) {
      return upstream;
    }
    return call.upstreamFormat() == WireFormat.ANTHROPIC
        ? Translation.anthropicToOpenAiResponse(upstream, call.structuredOutputTool())
        : Translation.openAiToAnthropicResponse(upstream);
  }

  /**
   * Usage read from the provider's own answer, before translation: the OpenAI wire has no field
   * for Anthropic's cache writes, so reading the translated answer would bill them as input.
   */
  private Usage usageOf(ChatCall call, String output) {
    Usage usage = UsageParser.of(call.upstreamFormat(), lastUpstream);
    return usage.isEmpty()
        ? UsageEstimates.estimate(call.deployment().upstreamModel(), call.input(), output)
        : usage;
  }

  private void addCost(Cost cost) {
    if (cost == null) {
      costUnknown = true;
    } else {
      totalCost = totalCost.add(cost.total());
    }
  }

  private void respond(ChatCall call, ObjectNode out, ResponseChannel channel)
      throws IOException {
    Cost cost = costUnknown ? null : new Cost(Map.of(Cost.TOTAL, totalCost));
    CallRecord answered = attempts.records().get(attempts.records().size() - 1);
    gateway.cache().put(call.cacheKey(), new ResponseCache.Entry(out.deepCopy(),
        answered.usage(), cost, call.deployment().label(), call.deployment().upstreamModel()));
    Gateway.injectCost(out.path("usage"), cost);
    gateway.record(call, attempts.records(), ChatRequests.outputOf(call.clientFormat(), out));
    Map<String, String> headers = gateway.responseHeaders(call, cost);
    headers.put("x-keel-overhead-ms", Gateway.millis(System.nanoTime() - call.startNanos()
        - upstreamNanos));
    if (attempts.records().size() > 1) {
      headers.put("x-keel-attempts", String.valueOf(attempts.records().size()));
    }
    channel.sendJson(200, headers, Gateway.JSON.writeValueAsBytes(out));
  }

  /** The client's conversation plus the bad answer and an instruction naming its errors. */
  private byte[] repairBody(ChatCall call, String badAnswer, String violations) {
    ObjectNode req = repairBase.deepCopy();
    ArrayNode messages = (ArrayNode) req.get("messages");
    messages.addObject().put("role", "assistant").put("content",
        badAnswer == null ? "" : badAnswer);
    messages.addObject().put("role", "user")
        .put("content", call.structuredOutput().repairInstruction(violations));
    attemptInput = Gateway.toJson(messages);
    return gateway.upstreamBody(call, req);
  }

  private static Map<String, Object> withRepair(Map<String, Object> check, int attempt) {
    var md = new LinkedHashMap<>(check);
    md.put("repair_attempt", attempt);
    return md;
  }
}
