package dev.keel.core.trace;

/** Kinds of observation, as Langfuse names them. */
public enum ObservationType {
  SPAN, GENERATION, EVENT, AGENT, TOOL, CHAIN, RETRIEVER, EVALUATOR, EMBEDDING, GUARDRAIL
}
