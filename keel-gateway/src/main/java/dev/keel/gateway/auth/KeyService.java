package dev.keel.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keel.store.ApiKeyRecord;
import dev.keel.store.KeyStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and checks keys: the master key, virtual keys and the project key pair.
 *
 * <p>Checked keys are remembered for {@link #CACHE_TTL} so the request path hashes a key once,
 * not per request. Revoking or rotating a key through this instance forgets it at once; other
 * instances stop accepting the old secret within that time. Expiry is checked on every use.
 */
public final class KeyService {

  public static final String DEFAULT_PROJECT = "default";
  static final Duration CACHE_TTL = Duration.ofSeconds(30);
  private static final Logger log = LoggerFactory.getLogger(KeyService.class);

  private final KeyStore keys;
  private final String envMasterKey;
  private final Clock clock;
  private final Cache<String, Verified> verified = Caffeine.newBuilder()
      .maximumSize(10_000).expireAfterWrite(CACHE_TTL).build();

  /**
   * @param envMasterKey the master key from {@code KEEL_MASTER_KEY}, or null to use the stored
   *     (hashed) one
   */
  public KeyService(KeyStore keys, String envMasterKey, Clock clock) {
    this.keys = keys;
    this.envMasterKey = envMasterKey == null || envMasterKey.isBlank() ? null : envMasterKey;
    this.clock = clock;
  }

  /**
   * Makes sure a master key exists. Returns the new key when one was generated (the only time it
   * can be shown), empty when {@code KEEL_MASTER_KEY} is set or a hashed one is already stored.
   */
  public Optional<String> ensureMasterKey() {
    if (envMasterKey != null || keys.anyOfKind("master")) {
      return Optional.empty();
    }
    String key = KeyFormat.newKey(KeyFormat.KEEL_PREFIX);
    insert("master", key, null, "master key");
    return Optional.of(key);
  }

  /** Where the master key comes from, for the start-up log. */
  public String masterKeySource() {
    if (envMasterKey == null) {
      return "stored hashed in the store";
    }
    return keys.anyOfKind("master") ? "KEEL_MASTER_KEY (the generated key stored earlier no "
        + "longer works)" : "KEEL_MASTER_KEY";
  }

  /**
   * Registers the default project's key pair from the environment when it is not stored yet.
   * Returns true when it was added.
   */
  public boolean ensureProjectPair(String publicKey, String secretKey) {
    if (publicKey == null || secretKey == null || publicKey.isBlank() || secretKey.isBlank()) {
      return false;
    }
    Optional<ApiKeyRecord> existing = keys.findProjectByPublicKey(publicKey);
    if (existing.isPresent()) {
      if (KeyFormat.matches(existing.get().salt(), existing.get().hash(), secretKey)) {
        upgradeLookup(existing.get(), secretKey);
      } else {
        log.warn("KEEL_INIT_PROJECT_PUBLIC_KEY is stored with another secret key; keeping the "
            + "stored one (revoke it to replace it)");
      }
      return false;
    }
    insert("project", secretKey, publicKey, "project key pair");
    return true;
  }

  /** Creates a virtual key and returns it; only its hash is kept. */
  public String createVirtualKey(String name) {
    return createVirtualKey(new KeySettings(name, null, null, null, null, null, null), null)
        .key();
  }

  /**
   * Creates a virtual key with its settings; the returned secret is never available again.
   *
   * @param expiresAt when it stops working, or null for never
   */
  public CreatedKey createVirtualKey(KeySettings settings, Instant expiresAt) {
    Instant now = clock.instant();
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      throw new IllegalArgumentException("expiresAt must be in the future: " + expiresAt);
    }
    String key = KeyFormat.newKey(KeyFormat.KEEL_PREFIX);
    String salt = KeyFormat.newSalt();
    var r = new ApiKeyRecord(UUID.randomUUID().toString(), "virtual", DEFAULT_PROJECT,
        KeyFormat.lookup(key), salt, KeyFormat.hash(salt, key), null, settings.name(), now,
        expiresAt, null, KeyRecords.toJson(settings, KeyRecords.last4(key)));
    keys.insert(r);
    return new CreatedKey(key, KeyRecords.info(r));
  }

  /**
   * Removes a virtual key and leaves no row behind: for undoing a creation whose request failed
   * after the key was made (its budgets, say). False when there is no such virtual key.
   */
  public boolean deleteVirtualKey(String id) {
    boolean virtual = keys.find(id).filter(k -> "virtual".equals(k.kind())).isPresent();
    boolean done = virtual && keys.delete(id);
    forget(id);
    return done;
  }

  /** Master and virtual keys, revoked and expired ones included, oldest first. */
  public List<KeyInfo> listKeys() {
    return keys.list(null).stream().filter(r -> !"project".equals(r.kind()))
        .map(KeyRecords::info).toList();
  }

  /** A master or virtual key by id. */
  public Optional<KeyInfo> findKey(String id) {
    return keys.find(id).filter(r -> !"project".equals(r.kind())).map(KeyRecords::info);
  }

  /**
   * Gives a live virtual key a new secret: the old one stops working, while id, settings,
   * budgets and spend stay. Empty when there is no such live virtual key.
   */
  public Optional<CreatedKey> rotate(String id) {
    Optional<ApiKeyRecord> r = keys.find(id)
        .filter(k -> "virtual".equals(k.kind()) && k.revokedAt() == null);
    if (r.isEmpty()) {
      return Optional.empty();
    }
    String key = KeyFormat.newKey(KeyFormat.KEEL_PREFIX);
    String salt = KeyFormat.newSalt();
    if (!keys.replaceSecret(id, KeyFormat.lookup(key), salt, KeyFormat.hash(salt, key))) {
      return Optional.empty();
    }
    keys.updateMetadata(id, KeyRecords.withLast4(r.get().metadataJson(), KeyRecords.last4(key)));
    forget(id);
    return keys.find(id).map(k -> new CreatedKey(key, KeyRecords.info(k)));
  }

  /** Revokes a virtual key; false when it does not exist or was already revoked. */
  public boolean revoke(String id) {
    boolean virtual = keys.find(id).filter(k -> "virtual".equals(k.kind())).isPresent();
    boolean done = virtual && keys.revoke(id, clock.instant());
    forget(id);
    return done;
  }

  /** Checks a bearer or {@code x-api-key} value: a master or virtual key. */
  public Optional<Principal> authenticateKey(String key) {
    if (key == null || key.isEmpty() || key.length() > 512) {
      return Optional.empty();
    }
    if (envMasterKey != null && constantTimeEquals(envMasterKey, key)) {
      return Optional.of(new Principal(Principal.Kind.MASTER, DEFAULT_PROJECT, null));
    }
    Verified cached = verified.getIfPresent(key);
    if (cached != null) {
      return cached.at(clock.instant());
    }
    Optional<Verified> v = lookup(key);
    v.ifPresent(found -> verified.put(key, found));
    return v.map(Verified::principal);
  }

  /** Checks Langfuse-style Basic auth ({@code pk:sk}) or a public key alone. */
  public Optional<Principal> authenticateProject(String publicKey, String secretKey) {
    if (publicKey == null || publicKey.isEmpty() || publicKey.length() > 512) {
      return Optional.empty();
    }
    String cacheKey = publicKey + "\u0000" + (secretKey == null ? "" : secretKey);
    Verified cached = verified.getIfPresent(cacheKey);
    if (cached != null) {
      return cached.at(clock.instant());
    }
    Optional<ApiKeyRecord> rec = keys.findProjectByPublicKey(publicKey).filter(this::live);
    if (rec.isEmpty()) {
      return Optional.empty();
    }
    Principal p;
    if (secretKey == null) {
      p = new Principal(Principal.Kind.PUBLIC_KEY_ONLY, rec.get().projectId(), rec.get().id());
    } else if (KeyFormat.matches(rec.get().salt(), rec.get().hash(), secretKey)) {
      p = new Principal(Principal.Kind.PROJECT_PAIR, rec.get().projectId(), rec.get().id());
      upgradeLookup(rec.get(), secretKey);
    } else {
      return Optional.empty();
    }
    verified.put(cacheKey, new Verified(p, rec.get().expiresAt()));
    return Optional.of(p);
  }

  /**
   * Reads an {@code Authorization} header: {@code Bearer <key>} or {@code Basic base64(pk:sk)}.
   * A bearer value may be a Keel key or a public key alone.
   */
  public Optional<Principal> authenticateHeader(String authorization) {
    if (authorization == null) {
      return Optional.empty();
    }
    String v = authorization.strip();
    if (v.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = v.substring(7).strip();
      if (token.startsWith(KeyFormat.PUBLIC_PREFIX)) {
        return authenticateProject(token, null);
      }
      return authenticateKey(token);
    }
    if (v.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(v.substring(6).strip()),
            StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      int colon = decoded.indexOf(':');
      if (colon <= 0) {
        return Optional.empty();
      }
      return authenticateProject(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
    return Optional.empty();
  }

  /**
   * Why a master or virtual key that {@link #authenticateKey} refused is refused, when it is a
   * key Keel issued and that expired: "expired at ...". Empty otherwise (revoked keys are not
   * found by their lookup any more). Only for the error message: call it after authentication
   * failed.
   */
  public Optional<String> refusal(String key) {
    if (key == null || key.length() > 512 || !key.startsWith(KeyFormat.KEEL_PREFIX)) {
      return Optional.empty();
    }
    for (String lookup : List.of(KeyFormat.lookup(key), KeyFormat.legacyLookup(key))) {
      for (ApiKeyRecord r : keys.findByLookup(lookup)) {
        if (!KeyFormat.matches(r.salt(), r.hash(), key)) {
          continue;
        }
        if (r.expiresAt() != null && !r.expiresAt().isAfter(clock.instant())) {
          return Optional.of("expired at " + r.expiresAt());
        }
      }
    }
    return Optional.empty();
  }

  private Optional<Verified> lookup(String key) {
    if (!key.startsWith(KeyFormat.KEEL_PREFIX)) {
      return Optional.empty();
    }
    Optional<ApiKeyRecord> found = match(KeyFormat.lookup(key), key);
    if (found.isEmpty()) {
      // A row written before lookups were hashed; from now on it is found the new way.
      found = match(KeyFormat.legacyLookup(key), key);
      found.ifPresent(r -> upgradeLookup(r, key));
    }
    return found.map(r -> new Verified(new Principal("master".equals(r.kind())
        ? Principal.Kind.MASTER : Principal.Kind.VIRTUAL, r.projectId(), r.id(),
        KeyRecords.settings(r)), r.expiresAt()));
  }

  private Optional<ApiKeyRecord> match(String lookup, String key) {
    for (ApiKeyRecord r : keys.findByLookup(lookup)) {
      // With KEEL_MASTER_KEY set there is one master key: a generated one still stored from an
      // earlier start no longer opens anything.
      if (envMasterKey != null && "master".equals(r.kind())) {
        continue;
      }
      if (live(r) && KeyFormat.matches(r.salt(), r.hash(), key)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /**
   * Rewrites a row still holding the old lookup (part of the key) to the hashed one. A failed
   * write does not refuse the key, which was checked: the next use tries again.
   */
  private void upgradeLookup(ApiKeyRecord r, String key) {
    String lookup = KeyFormat.lookup(key);
    if (lookup.equals(r.lookup())) {
      return;
    }
    try {
      if (keys.updateLookup(r.id(), r.lookup(), lookup)) {
        log.info("key {} ({}) was stored with an older lookup holding part of the key; "
            + "rewritten to the hashed form", r.id(), r.kind());
      }
    } catch (RuntimeException e) {
      log.warn("could not rewrite the older lookup of key {} ({}); it still works and the next"
          + " use tries again: {}", r.id(), r.kind(), e.getMessage());
    }
  }

  private boolean live(ApiKeyRecord r) {
    Instant now = clock.instant();
    return r.revokedAt() == null && (r.expiresAt() == null || r.expiresAt().isAfter(now));
  }

  private void insert(String kind, String key, String publicKey, String name) {
    String salt = KeyFormat.newSalt();
    keys.insert(new ApiKeyRecord(UUID.randomUUID().toString(), kind, DEFAULT_PROJECT,
        KeyFormat.lookup(key), salt, KeyFormat.hash(salt, key), publicKey, name,
        clock.instant(), null, null, null));
  }

  private void forget(String id) {
    verified.asMap().values().removeIf(v -> id.equals(v.principal().keyId()));
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8),
        b.getBytes(StandardCharsets.UTF_8));
  }

  /** A checked key and when it expires (null for never), so expiry holds for cached keys. */
  private record Verified(Principal principal, Instant expiresAt) {

    Optional<Principal> at(Instant now) {
      return expiresAt == null || expiresAt.isAfter(now) ? Optional.of(principal)
          : Optional.empty();
    }
  }
}
