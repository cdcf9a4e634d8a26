package dev.keel.providers;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A whole, successful (2xx) upstream answer.
 *
 * @param status the HTTP status
 * @param headers the response headers, names in lower case
 * @param body the raw body
 * @param json the body parsed (parsing once here saves the gateway a second parse)
 */
public record UpstreamResponse(int status, Map<String, List<String>> headers, byte[] body,
    com.fasterxml.jackson.databind.JsonNode json) {

  public UpstreamResponse {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(json, "json");
  }

  /** The first value of header {@code name} (any case), or null. */
  public String header(String name) {
    return Headers.first(headers, name);
  }
}
