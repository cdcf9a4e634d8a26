package dev.keel.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A stored API key. Only the salted hash of the secret is kept; {@code lookup} is a value derived
 * from the whole key (no character of it) used to find candidates before the hash is checked.
 *
 * @param kind "master", "virtual" or "project"
 * @param publicKey the {@code pk-lf-...} key of a project pair, else null
 * @param expiresAt null when the key never expires
 * @param revokedAt null while the key is active
 * @param metadataJson JSON object text (limits, models, budgets), or null
 */
public record ApiKeyRecord(String id, String kind, String projectId, String lookup, String salt,
    String hash, String publicKey, String name, Instant createdAt, Instant expiresAt,
    Instant revokedAt, String metadataJson) {

  /** The kinds of key Keel knows. */
  public static final Set<String> KINDS = Set.of("master", "virtual", "project");

  public ApiKeyRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(lookup, "lookup");
    Objects.requireNonNull(salt, "salt");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(createdAt, "createdAt");
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException("kind must be master, virtual or project: " + kind);
    }
    if ("project".equals(kind) && publicKey == null) {
      throw new IllegalArgumentException("publicKey must be set for a project key: " + id);
    }
  }
}
