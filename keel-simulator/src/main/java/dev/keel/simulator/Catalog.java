package dev.keel.simulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The models the simulator serves, by id. */
final class Catalog {

  static final List<SimulatedModel> MODELS = List.of(
      new SimulatedModel("gpt-4o", SimulatedModel.OPENAI),
      new SimulatedModel("gpt-4o-mini", SimulatedModel.OPENAI),
      new SimulatedModel("gpt-4.1", SimulatedModel.OPENAI),
      new SimulatedModel("gpt-4.1-mini", SimulatedModel.OPENAI),
      new SimulatedModel("gpt-4.1-nano", SimulatedModel.OPENAI),
      new SimulatedModel("o3-mini", SimulatedModel.OPENAI),
      new SimulatedModel("text-embedding-3-small", SimulatedModel.EMBEDDING),
      new SimulatedModel("text-embedding-3-large", SimulatedModel.EMBEDDING),
      new SimulatedModel("claude-3-5-haiku-20241022", SimulatedModel.ANTHROPIC),
      new SimulatedModel("claude-3-5-sonnet-20241022", SimulatedModel.ANTHROPIC),
      new SimulatedModel("claude-3-7-sonnet-20250219", SimulatedModel.ANTHROPIC),
      new SimulatedModel("claude-sonnet-4-20250514", SimulatedModel.ANTHROPIC));

  private static final Map<String, SimulatedModel> BY_ID = byId();

  private Catalog() {}

  /** True when {@code id} is served in {@code wireFormat}. */
  static boolean serves(String id, String wireFormat) {
    SimulatedModel m = BY_ID.get(id);
    return m != null && m.wireFormat().equals(wireFormat);
  }

  static SimulatedModel find(String id) {
    return BY_ID.get(id);
  }

  private static Map<String, SimulatedModel> byId() {
    Map<String, SimulatedModel> map = new LinkedHashMap<>();
    MODELS.forEach(m -> map.put(m.id(), m));
    return Map.copyOf(map);
  }
}
