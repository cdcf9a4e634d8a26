package dev.keel.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.cost.Cost;
import dev.keel.core.trace.Level;
import dev.keel.core.trace.ObservationType;
import dev.keel.core.usage.Usage;
import dev.keel.core.tokens.TokenCounter;
import dev.keel.gateway.limits.Admission;
import dev.keel.gateway.routing.Deployment;
import dev.keel.gateway.trace.CallRecord;
import dev.keel.providers.UpstreamException;
import dev.keel.providers.UpstreamResponse;
import dev.keel.providers.WireFormat;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /v1/embeddings}: passed through to an OpenAI-format provider and traced as an
 * EMBEDDING observation. The vectors are not stored in the trace, only their count and size.
 */
final class Embeddings {

  private static final java.util.List<String> ENCODING_FORMATS = java.util.List.of("float",
      "base64");

  private final Gateway gateway;

  Embeddings(Gateway gateway) {
    this.gateway = gateway;
  }

  String serve(ObjectNode body, RequestMeta meta, ResponseChannel channel) throws IOException {
    long t0 = System.nanoTime();
    Instant start = gateway.clock().instant();
    String model = validate(body);
    Deployment d = gateway.router().resolve(model);
    if (d.endpoint().format() != WireFormat.OPENAI) {
      throw ChatRequests.invalid("model '" + model + "' is served by " + d.provider()
          + ", which has no embeddings API", "model");
    }
    Admission.Ticket ticket = gateway.admission().admit(meta.principal(), model, d,
        () -> gateway.pricing().cost(d.priceModel(), Usage.fromTotals(
            TokenCounter.count(d.upstreamModel(), Gateway.toJson(body.get("input"))), 0, 0, 0,
            0, 0, 0, true)).orElse(null));
    ObjectNode upstreamBody = body.deepCopy().put("model", d.upstreamModel());
    String input = Gateway.toJson(body.get("input"));
    var md = new LinkedHashMap<String, Object>();
    md.put("provider", d.provider());
    md.put("requested_model", model);
    if (d.simulated()) {
      md.put("simulated", true);
    }
    long u0 = System.nanoTime();
    UpstreamResponse r;
    try {
      r = gateway.client().send(d.endpoint(), "/embeddings", Gateway.JSON.writeValueAsBytes(
          upstreamBody));
    } catch (UpstreamException e) {
      record(meta, d, start, input, null, Usage.NONE, null, Level.ERROR, e.getMessage(), md);
      ticket.settle(Cost.zero());
      throw e;
    }
    long upstreamNanos = System.nanoTime() - u0;
    ObjectNode out;
    try {
      out = parse(r, d);
    } catch (UpstreamException e) {
      record(meta, d, start, input, null, Usage.NONE, null, Level.ERROR, e.getMessage(), md);
      ticket.settle(Cost.zero());
      throw e;
    }
    long prompt = out.path("usage").path("prompt_tokens").asLong(0);
    Usage usage = Usage.fromTotals(prompt, 0, 0, 0, 0, 0, 0, false);
    Cost cost = gateway.pricing().cost(d.priceModel(), usage).orElse(null);
    Gateway.injectCost(out.path("usage"), cost);
    JsonNode data = out.path("data");
    String summary = "{\"vectors\":" + data.size() + ",\"dimensions\":"
        + data.path(0).path("embedding").size() + "}";
    record(meta, d, start, input, summary, usage, cost, cost == null ? Level.WARNING : null,
        cost == null ? "no price known for model " + d.upstreamModel() : null, md);
    ticket.settle(cost, prompt);

    Map<String, String> h = new LinkedHashMap<>();
    h.put("x-keel-trace-id", meta.traceId());
    h.put("x-keel-model", d.label());
    h.put("x-keel-cost-usd", cost == null ? "unknown" : cost.total().toPlainString());
    h.putAll(ticket.headers());
    h.put("x-keel-overhead-ms", Gateway.millis(System.nanoTime() - t0 - upstreamNanos));
    channel.sendJson(200, h, Gateway.JSON.writeValueAsBytes(out));
    return d.label();
  }

  private static String validate(ObjectNode body) {
    JsonNode model = body.get("model");
    if (model == null || !model.isTextual() || model.asText().isBlank()) {
      throw ChatRequests.invalid("model is required and must be a non-empty string", "model");
    }
    JsonNode input = body.get("input");
    if (input == null || input.isNull()) {
      throw ChatRequests.invalid("input is required", "input");
    }
    if (!input.isTextual() && !input.isArray()) {
      throw ChatRequests.invalid("input must be a string or an array", "input");
    }
    if (input.isArray() && input.isEmpty()) {
      throw ChatRequests.invalid("input must not be empty", "input");
    }
    // Checked here, not by the provider: a compatible server may take or ignore what OpenAI
    // would refuse, and a -1 must not reach it at all.
    FieldChecks.oneOf(body, "", "encoding_format", ENCODING_FORMATS);
    FieldChecks.positiveInt(body, "dimensions");
    FieldChecks.string(body, "", "user");
    return model.asText();
  }

  private static ObjectNode parse(UpstreamResponse r, Deployment d) {
    if (r.json() instanceof ObjectNode o) {
      return o;
    }
    throw new UpstreamException(UpstreamException.Kind.MALFORMED_RESPONSE, d.provider(),
        r.status(), null, null, "provider " + d.provider()
        + " answered embeddings with JSON that is not an object", null);
  }

  private void record(RequestMeta meta, Deployment d, Instant start, String input,
      String output, Usage usage, Cost cost, Level level, String status,
      Map<String, Object> md) {
    String name = meta.traceName() == null ? "embeddings" : meta.traceName();
    gateway.recorder().record(new CallRecord(meta, name, ObservationType.EMBEDDING,
        d.upstreamModel(), start, gateway.clock().instant(), null, null, input, output, usage,
        cost, level, status, md));
  }
}
