package dev.keel.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** API keys at rest: salted hashes, found by their non-secret lookup part. */
public interface KeyStore {

  /** Stores a new key; fails when the id exists. */
  void insert(ApiKeyRecord k);

  /** Keys with this lookup part that are not revoked (expired ones included: caller checks). */
  List<ApiKeyRecord> findByLookup(String lookup);

  /** The project key with this public key, unless revoked. */
  Optional<ApiKeyRecord> findProjectByPublicKey(String publicKey);

  /** All keys of a kind (revoked included), oldest first; every kind when null. */
  List<ApiKeyRecord> list(String kind);

  /** Marks a key revoked; false when it does not exist or was already revoked. */
  boolean revoke(String id, Instant at);

  /** Whether any key of this kind is not revoked. */
  boolean anyOfKind(String kind);
}
