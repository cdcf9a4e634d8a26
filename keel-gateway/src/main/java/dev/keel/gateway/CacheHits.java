package dev.keel.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.cost.Cost;
import dev.keel.gateway.cache.CachedStream;
import dev.keel.gateway.cache.ResponseCache;
import dev.keel.gateway.trace.CallRecord;
import dev.keel.providers.SseEvent;
import dev.keel.providers.SseWriter;
import dev.keel.providers.WireFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers a request from the response cache: no provider is called, nothing is billed, and the
 * trace records the hit with what it saved (the original call's cost).
 */
final class CacheHits {

  private CacheHits() {}

  static void serve(Gateway gateway, ChatCall call, ResponseCache.Entry hit,
      ResponseChannel channel) throws IOException {
    serve(gateway, call, hit, null, channel);
  }

  /** As above; {@code similarity} is the semantic cache's match, null for an exact hit. */
  static void serve(Gateway gateway, ChatCall call, ResponseCache.Entry hit, Double similarity,
      ResponseChannel channel) throws IOException {
    ObjectNode response = hit.response().deepCopy();
    Gateway.injectCost(response.path("usage"), Cost.zero());
    record(gateway, call, hit, similarity);

    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-keel-trace-id", call.meta().traceId());
    headers.put("x-keel-model", hit.deployment());
    headers.put("x-keel-cache", "hit");
    if (similarity != null) {
      headers.put("x-keel-cache-similarity", similarity(similarity));
    }
    headers.put("x-keel-cost-usd", "0");
    headers.putAll(call.ticket().headers());
    headers.put("x-keel-overhead-ms", Gateway.millis(System.nanoTime() - call.startNanos()));
    if (!call.streaming()) {
      channel.sendJson(200, headers, Gateway.JSON.writeValueAsBytes(response));
      return;
    }
    List<SseEvent> events = call.clientFormat() == WireFormat.OPENAI
        ? CachedStream.openAi(response, call.wantsStreamUsage())
        : CachedStream.anthropic(response);
    try (OutputStream out = channel.startStream(headers)) {
      for (SseEvent e : events) {
        out.write(SseWriter.encode(e));
      }
      out.flush();
    }
  }

  private static void record(Gateway gateway, ChatCall call, ResponseCache.Entry hit,
      Double similarity) {
    var md = new LinkedHashMap<String, Object>();
    md.put("cache_hit", true);
    if (similarity != null) {
      md.put("cache_kind", "semantic");
      md.put("cache_similarity", Double.valueOf(similarity(similarity)));
    }
    md.put("cached_deployment", hit.deployment());
    if (hit.cost() != null) {
      md.put("cache_saving_usd", hit.cost().total().toPlainString());
    }
    String output = ChatRequests.outputOf(call.clientFormat(), hit.response());
    CallRecord attempt = gateway.attempt(call, call.start(), gateway.clock().instant(), null,
        output, hit.usage(), Cost.zero(), md);
    gateway.record(call, List.of(attempt), output);
  }

  private static String similarity(double s) {
    return String.format(java.util.Locale.ROOT, "%.4f", s);
  }
}
