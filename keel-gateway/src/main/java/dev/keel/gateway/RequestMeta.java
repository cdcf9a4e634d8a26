package dev.keel.gateway;

import dev.keel.gateway.auth.Principal;
import java.util.List;
import java.util.Objects;

/**
 * What a client said about its request outside the model call itself: trace id and name, user,
 * session, tags and metadata (from the {@code x-keel-*} headers, see CONTRACTS.md).
 *
 * @param metadataJson a JSON object as text, or null
 */
public record RequestMeta(Principal principal, String traceId, String traceName, String userId,
    String sessionId, List<String> tags, String metadataJson) {

  public RequestMeta {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(traceId, "traceId");
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  public RequestMeta withUserId(String user) {
    return new RequestMeta(principal, traceId, traceName, user, sessionId, tags, metadataJson);
  }
}
