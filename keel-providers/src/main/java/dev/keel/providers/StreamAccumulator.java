package dev.keel.providers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.usage.Usage;

/**
 * Rebuilds the whole response, in the upstream's own format, from the events of its stream,
 * so a streamed call can be traced like a plain one. One instance per stream; not thread-safe.
 */
public interface StreamAccumulator {

  /** An accumulator for a stream in {@code upstreamFormat}. */
  static StreamAccumulator of(WireFormat upstreamFormat) {
    return upstreamFormat == WireFormat.OPENAI
        ? new OpenAiStreamAccumulator() : new AnthropicStreamAccumulator();
  }

  /** Takes in one upstream event. */
  void accept(SseEvent upstreamEvent);

  /** A chat.completion or a message object as if the call had not been streamed. */
  ObjectNode response();

  /** The usage the stream carried, or {@link Usage#NONE} when it carried none (yet). */
  Usage usage();

  /** True once content or tool-call data arrived; marks the time to first token. */
  boolean sawFirstToken();
}
