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

  public ResponseCache(CacheConfig config) {
    this.config = config;
    this.entries = Caffeine.newBuilder().maximumSize(config.maxEntries())
        .expireAfterWrite(Duration.ofSeconds(config.ttlSeconds())).build();
  }

  public boolean enabled() {
    return config.enabled();
  }

  /** The key of a request in its client's wire format, or null when caching is off. */
  public String key(Principal principal, String clientFormat, ObjectNode request) {
    if (!config.enabled()) {
      return null;
    }
    String scope = config.scope().equals("project") ? "p:" + principal.projectId()
        : "k:" + (principal.keyId() == null ? "master" : principal.keyId());
    var sb = new StringBuilder(scope).append('\u0000').append(clientFormat).append('\u0000');
    canonical(request, sb, true);
    return sha256(sb.toString());
  }

  public Optional<Entry> get(String key) {
    return key == null ? Optional.empty() : Optional.ofNullable(entries.getIfPresent(key));
  }

  public void put(String key, Entry entry) {
    if (key != null) {
      entries.put(key, entry);
    }
  }

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

  private static void canonical(JsonNode n, StringBuilder sb, boolean top) {
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

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
