package dev.keel.simulator;

import java.util.Objects;
import java.util.Set;

/**
 * A model the simulator serves, named after its real twin so Keel prices it like the real one.
 *
 * @param id the model id clients send, e.g. {@code gpt-4o}
 * @param wireFormat {@code openai} (chat completions), {@code anthropic} (messages) or
 *     {@code embedding} (OpenAI embeddings)
 */
public record SimulatedModel(String id, String wireFormat) {

  public static final String OPENAI = "openai";
  public static final String ANTHROPIC = "anthropic";
  public static final String EMBEDDING = "embedding";

  private static final Set<String> FORMATS = Set.of(OPENAI, ANTHROPIC, EMBEDDING);

  public SimulatedModel {
    Objects.requireNonNull(id, "id");
    if (!FORMATS.contains(wireFormat)) {
      throw new IllegalArgumentException("wireFormat must be one of " + FORMATS + ": "
          + wireFormat);
    }
  }
}
