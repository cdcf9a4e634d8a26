package dev.keel.sdk;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Fetches one prompt version from {@code GET /api/public/v2/prompts/{name}}, with retries. */
final class PromptFetcher {

  private final ClientSettings settings;
  private final HttpClient http;
  private final String authorization;

  PromptFetcher(ClientSettings settings, HttpClient http, String authorization) {
    this.settings = settings;
    this.http = http;
    this.authorization = authorization;
  }

  Prompt fetch(PromptRequest request) {
    PromptException last = null;
    for (int attempt = 0; attempt <= settings.promptMaxRetries(); attempt++) {
      if (attempt > 0 && !pause()) {
        break;
      }
      try {
        return once(request);
      } catch (PromptException e) {
        last = e;
        if (e.status() != 0 && e.status() < 500) {
          throw e;
        }
      }
    }
    throw last;
  }

  private Prompt once(PromptRequest request) {
    HttpRequest get = HttpRequest.newBuilder(uri(request))
        .timeout(settings.requestTimeout())
        .header("authorization", authorization)
        .header("x-langfuse-sdk-name", KeelClient.SDK_NAME)
        .header("x-langfuse-sdk-version", KeelClient.SDK_VERSION)
        .GET().build();
    HttpResponse<String> response;
    try {
      response = http.send(get, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new PromptException("Keel unreachable fetching prompt " + request.cacheKey()
          + ": " + e, 0, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PromptException("interrupted fetching prompt " + request.cacheKey(), 0, e);
    }
    if (response.statusCode() != 200) {
      throw new PromptException("Keel answered " + response.statusCode() + " for prompt "
          + request.cacheKey() + ": " + Warnings.truncate(response.body(), 300),
          response.statusCode(), null);
    }
    return parse(response.body());
  }

  /** A prompt from Langfuse's Prompt JSON: text or chat, with config, labels and tags. */
  static Prompt parse(String body) {
    try {
      JsonNode n = Json.MAPPER.readTree(body);
      String name = n.path("name").asText();
      int version = n.path("version").asInt();
      Map<String, Object> config = n.path("config").isObject()
          ? Json.MAPPER.convertValue(n.get("config"), new TypeReference<>() { })
          : Map.of();
      List<String> labels = strings(n.path("labels"));
      List<String> tags = strings(n.path("tags"));
      if ("chat".equals(n.path("type").asText())) {
        return new ChatPrompt(name, version, messages(n.path("prompt")), config, labels, tags,
            false);
      }
      if (!n.path("prompt").isTextual()) {
        throw new IllegalArgumentException("text prompt without a string prompt");
      }
      return new TextPrompt(name, version, n.get("prompt").asText(), config, labels, tags,
          false);
    } catch (IOException | RuntimeException e) {
      throw new PromptException("Keel sent a prompt this SDK cannot read: "
          + Warnings.truncate(body, 300), 200, e);
    }
  }

  private static List<ChatMessage> messages(JsonNode list) {
    List<ChatMessage> out = new ArrayList<>();
    for (JsonNode m : list) {
      if ("placeholder".equals(m.path("type").asText())) {
        out.add(ChatMessage.placeholder(m.path("name").asText()));
      } else {
        out.add(ChatMessage.of(m.path("role").asText(), m.path("content").asText()));
      }
    }
    return out;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  private URI uri(PromptRequest request) {
    String path = settings.base() + "/api/public/v2/prompts/" + encode(request.name());
    if (request.version() != null) {
      return URI.create(path + "?version=" + request.version());
    }
    return request.label() == null ? URI.create(path)
        : URI.create(path + "?label=" + encode(request.label()));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private boolean pause() {
    try {
      Thread.sleep(settings.retryBaseDelay().toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
