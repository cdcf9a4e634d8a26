package dev.keel.gateway;

import dev.keel.gateway.auth.Principal;
import java.util.List;
import java.util.Objects;

/**
 * What a client said about its request outside the model call itself: trace id and name, user,
 * session, tags and metadata (from the {@code x-keel-*} headers, see CONTRACTS.md), and the
 * registered prompt it asked for.
 *
 * @param metadataJson a JSON object as text, or null
 * @param prompt the prompt named by the {@code x-keel-prompt*} headers, or (once the gateway has
 *     resolved it) the prompt version used; null when none
 * @param cache what {@code cache-control} allows: look up and store answers, by default both
 * @param parentObservationId from {@code x-keel-parent-observation-id}: the call is a step of
 *     an existing trace (an agent's run, say), nested under that observation; the trace's own
 *     name, input and output are then left as its owner wrote them
 */
public record RequestMeta(Principal principal, String traceId, String traceName, String userId,
    String sessionId, List<String> tags, String metadataJson, PromptRef prompt,
    CachePolicy cache, String parentObservationId) {

  public RequestMeta {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(traceId, "traceId");
    tags = tags == null ? List.of() : List.copyOf(tags);
    cache = cache == null ? CachePolicy.DEFAULT : cache;
  }

  public RequestMeta(Principal principal, String traceId, String traceName, String userId,
      String sessionId, List<String> tags, String metadataJson) {
    this(principal, traceId, traceName, userId, sessionId, tags, metadataJson, null, null,
        null);
  }

  public RequestMeta(Principal principal, String traceId, String traceName, String userId,
      String sessionId, List<String> tags, String metadataJson, PromptRef prompt) {
    this(principal, traceId, traceName, userId, sessionId, tags, metadataJson, prompt, null,
        null);
  }

  public RequestMeta withUserId(String user) {
    return new RequestMeta(principal, traceId, traceName, user, sessionId, tags, metadataJson,
        prompt, cache, parentObservationId);
  }

  public RequestMeta withPrompt(PromptRef p) {
    return new RequestMeta(principal, traceId, traceName, userId, sessionId, tags, metadataJson,
        p, cache, parentObservationId);
  }

  /**
   * From {@code cache-control}: {@code no-cache} skips the lookup, {@code no-store} keeps the
   * answer out of the cache.
   */
  public record CachePolicy(boolean lookup, boolean store) {
    public static final CachePolicy DEFAULT = new CachePolicy(true, true);

    /** Reads a {@code cache-control} header value (null means the default). */
    public static CachePolicy of(String cacheControl) {
      if (cacheControl == null) {
        return DEFAULT;
      }
      String v = cacheControl.toLowerCase(java.util.Locale.ROOT);
      return new CachePolicy(!v.contains("no-cache"), !v.contains("no-store"));
    }
  }

  /**
   * A registered prompt: by name with a label or a version (neither means the production
   * label). After resolution {@code version} is the version used.
   */
  public record PromptRef(String name, String label, Integer version) {
    public PromptRef {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("prompt name must not be blank");
      }
    }
  }
}
