package dev.keel.sdk;

import java.util.Locale;

/** The kinds of step a trace records; each is sent as its own ingestion event type. */
public enum ObservationType {
  SPAN, GENERATION, EVENT, AGENT, TOOL, CHAIN, RETRIEVER, EVALUATOR, EMBEDDING, GUARDRAIL;

  /** The ingestion event type that creates (upserts) an observation of this kind. */
  String createEvent() {
    return name().toLowerCase(Locale.ROOT) + "-create";
  }

  /**
   * The event type for a change after the observation was sent. Only spans and generations have
   * update events; the other kinds are upserted again with their create event.
   */
  String updateEvent() {
    return switch (this) {
      case SPAN -> "span-update";
      case GENERATION -> "generation-update";
      default -> createEvent();
    };
  }

  /** Whether the generation body (model, usage, cost, prompt) applies to this kind. */
  boolean hasGenerationFields() {
    return this != SPAN && this != EVENT;
  }
}
