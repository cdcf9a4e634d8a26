package dev.keel.gateway.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Who is calling.
 *
 * @param kind how the caller proved itself
 * @param projectId the project the caller acts in
 * @param keyId the stored key's id (null for a master key given in the environment)
 * @param settings the key's user, team, model scope and rate limits ({@link KeySettings#NONE}
 *     for master and project keys)
 */
public record Principal(Kind kind, String projectId, String keyId, KeySettings settings) {

  /** The budget subject that stands for the master key, however it was given. */
  public static final String MASTER_SUBJECT = "master";

  public Principal {
    Objects.requireNonNull(kind, "kind");
    settings = settings == null ? KeySettings.NONE : settings;
  }

  public Principal(Kind kind, String projectId, String keyId) {
    this(kind, projectId, keyId, KeySettings.NONE);
  }

  /** What key budgets and key rate limits are counted under: the key id, or "master". */
  public String subject() {
    return kind == Kind.MASTER || keyId == null ? MASTER_SUBJECT : keyId;
  }

  /** What a trace records about the key: id, name, user and team (no secret). */
  public Map<String, String> traceAttributes() {
    var m = new LinkedHashMap<String, String>();
    m.put("keel_key_id", subject());
    if (settings.name() != null) {
      m.put("keel_key_name", settings.name());
    }
    if (settings.user() != null) {
      m.put("keel_key_user", settings.user());
    }
    if (settings.team() != null) {
      m.put("keel_key_team", settings.team());
    }
    return m;
  }

  /** The credential kinds of CONTRACTS.md's access matrix. */
  public enum Kind {
    MASTER, VIRTUAL, PROJECT_PAIR, PUBLIC_KEY_ONLY
  }
}
