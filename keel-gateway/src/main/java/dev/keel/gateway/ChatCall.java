package dev.keel.gateway;

import dev.keel.gateway.limits.Admission;
import dev.keel.gateway.routing.Deployment;
import dev.keel.gateway.structured.StructuredOutput;
import dev.keel.providers.WireFormat;
import java.time.Instant;

/**
 * One client chat request on its way through the gateway.
 *
 * @param requestedModel the model name the client sent
 * @param startNanos {@link System#nanoTime()} when Keel received it, for the overhead header
 * @param ticket what admission reserved for this request; settled once when it is recorded
 * @param input the request's messages as JSON text, for the trace
 * @param parameters model parameters as JSON text, for the trace
 * @param streaming the client asked for server-sent events
 * @param wantsStreamUsage the client asked for a usage chunk (OpenAI) or always gets usage
 *     (Anthropic)
 * @param structuredOutputTool for an OpenAI request with a JSON schema sent to Anthropic, the
 *     forced tool whose input carries the answer; null otherwise
 * @param structuredOutput the schema the answer must match ({@code response_format}), or null
 * @param cacheKey where to store the answer in the response cache, or null when it is not to be
 *     stored
 * @param routingTier {@code easy} or {@code hard} when a cost_aware route chose the deployment,
 *     else null
 */
record ChatCall(
    WireFormat clientFormat,
    WireFormat upstreamFormat,
    Deployment deployment,
    String requestedModel,
    RequestMeta meta,
    Instant start,
    long startNanos,
    Admission.Ticket ticket,
    String input,
    String parameters,
    boolean streaming,
    boolean wantsStreamUsage,
    String structuredOutputTool,
    StructuredOutput structuredOutput,
    String cacheKey,
    String routingTier) {}
