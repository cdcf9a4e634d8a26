package dev.keel.agent;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Decides whether a tool call that needs approval may run. Called on the tool's own thread, so
 * it may block (ask a person, a policy service). A denial reaches the model as the tool's
 * result; an exception counts as a denial.
 */
@FunctionalInterface
public interface Approval {

  boolean approve(String toolName, JsonNode arguments);
}
