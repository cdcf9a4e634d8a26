package dev.keel.gateway.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keel.core.cost.Cost;
import dev.keel.core.usage.Usage;
import dev.keel.gateway.auth.Principal;
import dev.keel.gateway.config.CacheConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The exact-match response cache: the same request (model, messages, tools and parameters,
 * field order and the stream flag aside) from the same tenant gets the stored answer.
 *
 * <p>Entries are keyed by a SHA-256 of the tenant scope and the request's canonical JSON, so a
 * key never matches across API keys (or projects, with {@code scope: project}). In-process only:
 * each Keel instance keeps its own cache.
 */
public final class ResponseCache {

  /** Fields that do not change the answer: how it is delivered and who asked. */
  private static final Set<String> IGNORED = Set.of("stream", "stream_options", "user",
      "metadata");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CacheConfig config;
  private final Cache<String, Entry> entries;
  private final SemanticIndex semantic;

  public ResponseCache(CacheConfig config) {
    this.config = config;
    this.entries = Caffeine.newBuilder().maximumSize(config.maxEntries())
        .expireAfterWrite(Duration.ofSeconds(config.ttlSeconds())).build();
    this.semantic = config.semantic().enabled() ? new SemanticIndex(
        config.semantic().threshold(), Duration.ofSeconds(config.ttlSeconds()),
        config.maxEntries()) : null;
  }

  public boolean enabled() {
    return config.enabled();
  }

  /** The key of a request in its client's wire format, or null when caching is off. */
  public String key(Principal principal, String clientFormat, ObjectNode request) {
    if (!config.enabled()) {
      return null;
    }
    var sb = new StringBuilder(scope(principal)).append('\u0000').append(clientFormat)
        .append('\u0000');
    canonical(request, sb, true);
    return sha256(sb.toString());
  }

  public Optional<Entry> get(String key) {
    return key == null ? Optional.empty() : Optional.ofNullable(entries.getIfPresent(key));
  }

  public void put(String key, Entry entry) {
    if (key != null) {
      entries.put(key, entry);
      if (semantic != null) {
        semantic.stored(key);
      }
    }
  }

  /**
   * The semantic cache, after an exact miss: a stored answer to a request that differs only in
   * a last user message of the same meaning, when {@code lookup}; and when {@code storeKey} is
   * not null, this request's embedding is kept so its own answer can be found the same way.
   * Empty, without embedding anything, when the semantic cache is off or neither is wanted.
   */
  public Optional<Similar> similar(Principal principal, String clientFormat,
      ObjectNode request, boolean lookup, String storeKey) {
    if (semantic == null || (!lookup && storeKey == null)) {
      return Optional.empty();
    }
    var probe = semantic.probe(scope(principal), clientFormat, request);
    if (probe.isEmpty()) {
      return Optional.empty();
    }
    if (lookup) {
      var match = semantic.nearest(probe.get(), k -> entries.getIfPresent(k) != null);
      if (match.isPresent()) {
        Entry e = entries.getIfPresent(match.get().entryKey());
        if (e != null) {
          return Optional.of(new Similar(e, match.get().similarity()));
        }
      }
    }
    if (storeKey != null) {
      semantic.expect(storeKey, probe.get());
    }
    return Optional.empty();
  }

  /** A semantic hit: the stored answer and the cosine similarity of the two questions. */
  public record Similar(Entry entry, double similarity) {}

  /**
   * A stored answer.
   *
   * @param response the whole answer in the client's format, as a non-streamed response
   * @param usage what the original call used
   * @param cost what the original call cost (the saving of every hit), or null when unknown
   * @param deployment the deployment that answered ({@code provider/model})
   * @param model the upstream model
   */
  public record Entry(ObjectNode response, Usage usage, Cost cost, String deployment,
      String model) {}

  private String scope(Principal principal) {
    return config.scope().equals("project") ? "p:" + principal.projectId()
        : "k:" + (principal.keyId() == null ? "master" : principal.keyId());
  }

  static void canonical(JsonNode n, StringBuilder sb, boolean top) {
    if (n.isObject()) {
      var sorted = new TreeMap<String, JsonNode>();
      for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!(top && IGNORED.contains(f))) {
          sorted.put(f, n.get(f));
        }
      }
      sb.append('{');
      sorted.forEach((k, v) -> {
        sb.append(JSON.getNodeFactory().textNode(k)).append(':');
        canonical(v, sb, false);
        sb.append(',');
      });
      sb.append('}');
    } else if (n.isArray()) {
      sb.append('[');
      n.forEach(v -> {
        canonical(v, sb, false);
        sb.append(',');
      });
      sb.append(']');
    } else {
      sb.append(n.toString());
    }
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
