package dev.keel.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.cost.Cost;
import dev.keel.core.usage.Usage;
import dev.keel.gateway.cache.ResponseCache;
import dev.keel.gateway.trace.CallRecord;
import dev.keel.providers.SseEvent;
import dev.keel.providers.SseWriter;
import dev.keel.providers.StreamAccumulator;
import dev.keel.providers.StreamTranslator;
import dev.keel.providers.Translation;
import dev.keel.providers.UpstreamException;
import dev.keel.providers.UpstreamStream;
import dev.keel.providers.WireFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Relays one streamed chat answer from the provider to the client, event by event, translating
 * between wire formats when they differ, while it rebuilds the whole answer for the trace.
 *
 * <p>The usage event is where cost reaches a streaming client: Keel prices the usage it has seen
 * so far (all of it, since providers send usage last) and adds {@code usage.cost} to that event.
 * Headers went out before usage was known, so they carry no cost.
 */
final class StreamRelay {

  private final Gateway gateway;
  private final Attempts attempts;
  private ChatCall call;
  private StreamAccumulator acc;
  private StreamTranslator translator;
  private Instant start;
  private Instant firstToken;
  private Cost cost;
  private boolean costComputed;

  StreamRelay(Gateway gateway, Attempts attempts) {
    this.gateway = gateway;
    this.attempts = attempts;
    this.call = attempts.call();
  }

  /**
   * Opens the stream (retries and fallbacks happen here, before anything is sent to the
   * client), then relays it. Once the first byte is out, a failure can only be reported.
   */
  void relay(ResponseChannel channel) throws IOException {
    long u0 = System.nanoTime();
    UpstreamStream upstream = attempts.run((c, body) ->
        gateway.client().stream(c.deployment().endpoint(), Gateway.path(c), body),
        attempts::body);
    call = attempts.call();
    start = attempts.lastStart();
    acc = StreamAccumulator.of(call.upstreamFormat());
    if (call.clientFormat() == call.upstreamFormat()) {
      translator = null;
    } else if (call.upstreamFormat() == WireFormat.ANTHROPIC) {
      translator = Translation.anthropicToOpenAiStream(call.structuredOutputTool());
    } else {
      translator = Translation.openAiToAnthropicStream();
    }
    Map<String, String> headers = gateway.responseHeaders(call, null);
    headers.put("x-keel-overhead-ms", Gateway.millis(u0 - call.startNanos()));
    if (attempts.records().size() > 0) {
      // Failed attempts before this one (a successful stream's own record comes at its end).
      headers.put("x-keel-attempts", String.valueOf(attempts.records().size() + 1));
    }
    OutputStream out = channel.startStream(headers);
    try (upstream) {
      pump(upstream, out);
    } finally {
      closeQuietly(out);
    }
  }

  private void pump(UpstreamStream upstream, OutputStream out) throws IOException {
    try {
      SseEvent ev;
      while ((ev = upstream.next()) != null) {
        acc.accept(ev);
        if (firstToken == null && acc.sawFirstToken()) {
          firstToken = gateway.clock().instant();
        }
        write(out, translator == null ? List.of(ev) : translator.onEvent(ev));
      }
      if (translator != null) {
        write(out, translator.onEnd());
      }
    } catch (UpstreamException e) {
      writeError(out, e.getMessage());
      fail(e, false);
      return;
    } catch (IOException clientGone) {
      fail(new dev.keel.core.error.KeelException(dev.keel.core.error.ErrorCode.INVALID_REQUEST,
          "the client closed the stream before it ended"), true);
      throw clientGone;
    }
    finish();
  }

  private void finish() {
    Usage usage = acc.usage();
    ObjectNode response = clientResponse();
    String output = ChatRequests.outputOf(call.clientFormat(), response);
    // A stream cannot be taken back, so a non-conforming answer is only recorded, not repaired.
    Map<String, Object> check = call.structuredOutput() == null
        || call.clientFormat() != WireFormat.OPENAI || Completion.callsTools(response) ? Map.of()
        : Completion.schemaCheck(gateway.validator(), call.structuredOutput(),
            Completion.contentOf(response));
    if (usage.isEmpty()) {
      usage = UsageEstimates.estimate(call.deployment().upstreamModel(), call.input(), output);
    }
    Cost c = costComputed ? cost : gateway.pricing().cost(call.deployment().priceModel(), usage)
        .orElse(null);
    gateway.count(call.deployment().upstreamModel(), usage, c);
    attempts.records().add(gateway.attempt(call, start, gateway.clock().instant(), firstToken,
        output, usage, c, check));
    gateway.record(call, attempts.records(), output);
    if (!Boolean.FALSE.equals(check.get("schema_valid"))) {
      gateway.cache().put(call.cacheKey(), new ResponseCache.Entry(response, usage, c,
          call.deployment().label(), call.deployment().upstreamModel()));
    }
  }

  /**
   * A stream broken after it started: recorded at level ERROR with what arrived so far, and
   * with the usage and cost known so far when the provider had sent any. When the client left,
   * the provider billed what it generated until Keel hung up, so without reported usage it is
   * counted with the tokenizer (and marked estimated).
   */
  private void fail(dev.keel.core.error.KeelException e, boolean clientLeft) {
    String partial = partialOutput();
    CallRecord failed = gateway.failedAttempt(call, start, e, partial);
    Usage usage = acc.usage();
    if (usage.isEmpty() && clientLeft) {
      usage = UsageEstimates.estimate(call.deployment().upstreamModel(), call.input(), partial);
    }
    if (!usage.isEmpty()) {
      Cost known = gateway.pricing().cost(call.deployment().priceModel(), usage).orElse(null);
      failed = new CallRecord(failed.meta(), failed.traceName(), failed.type(), failed.model(),
          failed.start(), failed.end(), firstToken, failed.modelParameters(), failed.input(),
          partial, usage, known, failed.level(), failed.statusMessage(), failed.metadata());
    }
    attempts.records().add(failed);
    gateway.record(call, attempts.records(), partial);
  }

  private String partialOutput() {
    return ChatRequests.outputOf(call.clientFormat(), clientResponse());
  }

  /** The answer so far, rebuilt as one response in the client's format. */
  private ObjectNode clientResponse() {
    ObjectNode response = acc.response();
    if (call.clientFormat() == call.upstreamFormat()) {
      return response;
    }
    return call.upstreamFormat() == WireFormat.ANTHROPIC
        ? Translation.anthropicToOpenAiResponse(response, call.structuredOutputTool())
        : Translation.openAiToAnthropicResponse(response);
  }

  private void write(OutputStream out, List<SseEvent> events) throws IOException {
    for (SseEvent e : events) {
      SseEvent decorated = decorate(e);
      if (decorated != null) {
        try {
          out.write(SseWriter.encode(decorated));
          out.flush();
        } catch (RuntimeException clientGone) {
          // Helidon reports a closed client connection unchecked; it is the client leaving.
          throw new IOException("the client closed the connection", clientGone);
        }
      }
    }
  }

  /** Adds cost to the usage event, or drops a usage-only chunk the client did not ask for. */
  private SseEvent decorate(SseEvent e) {
    String data = e.data();
    if (data == null || !data.contains("\"usage\"")) {
      return e;
    }
    JsonNode node;
    try {
      node = Gateway.JSON.readTree(data);
    } catch (IOException notJson) {
      return e;
    }
    if (!(node instanceof ObjectNode obj) || !(obj.get("usage") instanceof ObjectNode usage)) {
      return e;
    }
    if (call.clientFormat() == WireFormat.OPENAI && !call.wantsStreamUsage()) {
      if (obj.path("choices").isEmpty()) {
        return null;
      }
      obj.putNull("usage");
      return new SseEvent(e.event(), obj.toString());
    }
    if (call.clientFormat() == WireFormat.ANTHROPIC && !"message_delta".equals(e.event())
        && !"message_delta".equals(obj.path("type").asText())) {
      return e;
    }
    cost = gateway.pricing().cost(call.deployment().priceModel(), acc.usage()).orElse(null);
    costComputed = true;
    Gateway.injectCost(usage, cost);
    return new SseEvent(e.event(), Gateway.toJson(obj));
  }

  /** Ends the response; a client that already left makes that fail, which changes nothing. */
  private static void closeQuietly(OutputStream out) {
    try {
      out.close();
    } catch (IOException | RuntimeException clientGone) {
      // nothing to tell a client that is gone
    }
  }

  /**
   * Ends a broken stream with an {@code event: error} each client type recognises: Anthropic's
   * error envelope, or OpenAI's {@code {"error": ...}} object (the OpenAI SDKs raise on either
   * the event name or the error field).
   */
  private void writeError(OutputStream out, String message) {
    try {
      ObjectNode err = Gateway.JSON.createObjectNode();
      SseEvent event;
      if (call.clientFormat() == WireFormat.ANTHROPIC) {
        err.put("type", "error");
        err.putObject("error").put("type", "api_error").put("message", message);
        event = new SseEvent("error", err.toString());
      } else {
        err.putObject("error").put("message", message).put("type", "upstream_error")
            .putNull("param").put("code", "upstream_stream_broken");
        event = new SseEvent("error", err.toString());
      }
      out.write(SseWriter.encode(event));
      out.flush();
    } catch (IOException | RuntimeException ignored) {
      // The client is gone too; the trace still records the upstream failure.
    }
  }
}
