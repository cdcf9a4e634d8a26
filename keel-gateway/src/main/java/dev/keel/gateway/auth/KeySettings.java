package dev.keel.gateway.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a virtual key carries besides its secret: who it is for, what it may call and how fast.
 *
 * @param name a label for people, or null
 * @param user the user the key belongs to (user budgets apply to it), or null
 * @param team the team the key belongs to (team budgets apply to it), or null
 * @param models the model names the key may request; empty for every model
 * @param metadata free JSON-compatible values kept with the key
 * @param rpm requests per minute, or null for no limit
 * @param tpm tokens per minute, or null for no limit
 */
public record KeySettings(String name, String user, String team, List<String> models,
    Map<String, Object> metadata, Long rpm, Long tpm) {

  /** No limits, no scope: what the master key and older keys have. */
  public static final KeySettings NONE = new KeySettings(null, null, null, null, null, null,
      null);
  private static final int MAX_TEXT = 200;

  public KeySettings {
    name = text(name, "name");
    user = text(user, "user");
    team = text(team, "team");
    models = models == null ? List.of() : List.copyOf(models);
    for (String m : models) {
      if (m == null || m.isBlank()) {
        throw new IllegalArgumentException("models must not hold a blank name: " + models);
      }
    }
    metadata = metadata == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    if (rpm != null && rpm <= 0) {
      throw new IllegalArgumentException("rpm must be positive: " + rpm);
    }
    if (tpm != null && tpm <= 0) {
      throw new IllegalArgumentException("tpm must be positive: " + tpm);
    }
  }

  /** Whether the key may request {@code model} (also matched as {@code provider/model}). */
  public boolean allows(String model, String deploymentLabel) {
    return models.isEmpty() || models.contains(model) || models.contains(deploymentLabel);
  }

  private static String text(String v, String what) {
    if (v == null || v.isBlank()) {
      return null;
    }
    if (v.length() > MAX_TEXT) {
      throw new IllegalArgumentException(what + " must be at most " + MAX_TEXT
          + " characters: " + v.length());
    }
    return v.strip();
  }
}
