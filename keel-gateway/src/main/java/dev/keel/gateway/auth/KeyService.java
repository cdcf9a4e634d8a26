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
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and checks keys: the master key, virtual keys and the project key pair.
 *
 * <p>Checked keys are remembered for {@link #CACHE_TTL} so the request path hashes a key once,
 * not per request; a revoked key therefore stops working within that time.
 */
public final class KeyService {

  public static final String DEFAULT_PROJECT = "default";
  static final Duration CACHE_TTL = Duration.ofSeconds(30);
  private static final Logger log = LoggerFactory.getLogger(KeyService.class);

  private final KeyStore keys;
  private final String envMasterKey;
  private final Clock clock;
  private final Cache<String, Principal> verified = Caffeine.newBuilder()
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
    return envMasterKey != null ? "KEEL_MASTER_KEY" : "stored hashed in the store";
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
      if (!KeyFormat.matches(existing.get().salt(), existing.get().hash(), secretKey)) {
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
    String key = KeyFormat.newKey(KeyFormat.KEEL_PREFIX);
    insert("virtual", key, null, name);
    return key;
  }

  /** Checks a bearer or {@code x-api-key} value: a master or virtual key. */
  public Optional<Principal> authenticateKey(String key) {
    if (key == null || key.isEmpty() || key.length() > 512) {
      return Optional.empty();
    }
    if (envMasterKey != null && constantTimeEquals(envMasterKey, key)) {
      return Optional.of(new Principal(Principal.Kind.MASTER, DEFAULT_PROJECT, null));
    }
    Principal cached = verified.getIfPresent(key);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<Principal> p = lookup(key);
    p.ifPresent(v -> verified.put(key, v));
    return p;
  }

  /** Checks Langfuse-style Basic auth ({@code pk:sk}) or a public key alone. */
  public Optional<Principal> authenticateProject(String publicKey, String secretKey) {
    if (publicKey == null || publicKey.isEmpty() || publicKey.length() > 512) {
      return Optional.empty();
    }
    String cacheKey = publicKey + "\u0000" + (secretKey == null ? "" : secretKey);
    Principal cached = verified.getIfPresent(cacheKey);
    if (cached != null) {
      return Optional.of(cached);
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
    } else {
      return Optional.empty();
    }
    verified.put(cacheKey, p);
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

  private Optional<Principal> lookup(String key) {
    if (!key.startsWith(KeyFormat.KEEL_PREFIX)) {
      return Optional.empty();
    }
    for (ApiKeyRecord r : keys.findByLookup(KeyFormat.lookup(key))) {
      if (live(r) && KeyFormat.matches(r.salt(), r.hash(), key)) {
        Principal.Kind kind = "master".equals(r.kind()) ? Principal.Kind.MASTER
            : Principal.Kind.VIRTUAL;
        return Optional.of(new Principal(kind, r.projectId(), r.id()));
      }
    }
    return Optional.empty();
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

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8),
        b.getBytes(StandardCharsets.UTF_8));
  }
}
