package dev.keel.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** API keys at rest: salted hashes, found by a lookup value derived from the whole key. */
public interface KeyStore {

  /** Stores a new key; fails when the id exists. */
  void insert(ApiKeyRecord k);

  /** Keys with this lookup value that are not revoked (expired ones included: caller checks). */
  List<ApiKeyRecord> findByLookup(String lookup);

  /** The project key with this public key, unless revoked. */
  Optional<ApiKeyRecord> findProjectByPublicKey(String publicKey);

  /** All keys of a kind (revoked included), oldest first; every kind when null. */
  List<ApiKeyRecord> list(String kind);

  /** Marks a key revoked; false when it does not exist or was already revoked. */
  boolean revoke(String id, Instant at);

  /** Whether any key of this kind is not revoked. */
  boolean anyOfKind(String kind);

  /** The key with this id, revoked or not. */
  Optional<ApiKeyRecord> find(String id);

  /**
   * Gives a live key a new secret (rotation): the old secret stops matching at once, while id,
   * settings, budgets and spend stay. False when the key does not exist or is revoked.
   */
  boolean replaceSecret(String id, String lookup, String salt, String hash);

  /** Replaces a key's metadata JSON; false when the key does not exist. */
  boolean updateMetadata(String id, String metadataJson);

  /**
   * Replaces a key's lookup value if it is still {@code from}, so a secret rotated meanwhile is
   * left alone. False when nothing changed.
   */
  boolean updateLookup(String id, String from, String to);

  /**
   * Removes a key's row outright, for undoing a creation whose request then failed (a revoked
   * key stays listed; this leaves nothing). False when there was no such key.
   */
  boolean delete(String id);
}
