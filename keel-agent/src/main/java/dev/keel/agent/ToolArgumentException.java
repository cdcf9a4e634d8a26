package dev.keel.agent;

/**
 * The model's arguments for a tool do not fit the tool's parameters. The run turns it into a
 * tool result naming the problem, so the model can correct the call.
 */
public final class ToolArgumentException extends IllegalArgumentException {

  public ToolArgumentException(String message) {
    super(message);
  }
}
