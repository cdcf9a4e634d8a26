package dev.keel.simulator;

import java.util.List;

/**
 * What the simulator will do for one request, once directives and the scenario are resolved.
 *
 * @param reply exact answer text, or null for the default answer
 * @param usage pinned token counts; fields left null are counted
 * @param ttftMs delay before the first byte of the answer
 * @param tokenMs delay between stream chunks
 * @param fault the failure to stage, {@link Fault#NONE} for a normal answer
 * @param retryAfterSeconds value of {@code retry-after} on a 429
 * @param disconnectAfter stream chunks sent before a {@link Fault#DISCONNECT}
 * @param jsonInvalid answer JSON that violates the requested schema
 * @param toolScript scripted tool calls, empty when none
 * @param parallel make every remaining scripted call in one turn
 * @param loop call the first tool forever
 */
record Plan(String reply, UsageSpec usage, long ttftMs, long tokenMs, Fault fault,
    int retryAfterSeconds, int disconnectAfter, boolean jsonInvalid,
    List<ScriptedCall> toolScript, boolean parallel, boolean loop) {

  Plan {
    if (ttftMs < 0 || tokenMs < 0) {
      throw new InvalidDirectiveException(
          "ttft_ms and token_ms must be non-negative: " + ttftMs + ", " + tokenMs);
    }
    toolScript = List.copyOf(toolScript);
  }
}
