package dev.keel.gateway.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.store.ApiKeyRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A key's settings as the JSON kept in {@code api_keys.metadata}: {@code user}, {@code team},
 * {@code models}, {@code metadata}, {@code rpm}, {@code tpm} and {@code last4} (the key's last
 * four characters, for recognising it in a list).
 */
final class KeyRecords {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private KeyRecords() {}

  static String toJson(KeySettings s, String last4) {
    var m = new LinkedHashMap<String, Object>();
    putIf(m, "user", s.user());
    putIf(m, "team", s.team());
    if (!s.models().isEmpty()) {
      m.put("models", s.models());
    }
    if (!s.metadata().isEmpty()) {
      m.put("metadata", s.metadata());
    }
    putIf(m, "rpm", s.rpm());
    putIf(m, "tpm", s.tpm());
    putIf(m, "last4", last4);
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("key metadata is not JSON-compatible: "
          + e.getOriginalMessage(), e);
    }
  }

  /** The settings of a stored key; a key stored before settings existed has none. */
  static KeySettings settings(ApiKeyRecord r) {
    Map<String, Object> m = read(r.metadataJson());
    @SuppressWarnings("unchecked")
    List<String> models = (List<String>) m.get("models");
    @SuppressWarnings("unchecked")
    Map<String, Object> metadata = (Map<String, Object>) m.get("metadata");
    return new KeySettings(r.name(), (String) m.get("user"), (String) m.get("team"), models,
        metadata, number(m.get("rpm")), number(m.get("tpm")));
  }

  /** A key as it may be shown: its prefix and last four characters, nothing else of it. */
  static KeyInfo info(ApiKeyRecord r) {
    Object last4 = read(r.metadataJson()).get("last4");
    String hint = KeyFormat.KEEL_PREFIX + "..." + (last4 == null ? "" : last4);
    return new KeyInfo(r.id(), r.kind(), hint, settings(r), r.createdAt(), r.expiresAt(),
        r.revokedAt());
  }

  static String last4(String key) {
    return key.substring(key.length() - 4);
  }

  /** The stored JSON with {@code last4} replaced (rotation keeps every other setting). */
  static String withLast4(String json, String last4) {
    Map<String, Object> m = new LinkedHashMap<>(read(json));
    m.put("last4", last4);
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored key metadata is not serializable", e);
    }
  }

  private static Map<String, Object> read(String json) {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored key metadata is not a JSON object", e);
    }
  }

  private static Long number(Object v) {
    return v instanceof Number n ? n.longValue() : null;
  }

  private static void putIf(Map<String, Object> m, String k, Object v) {
    if (v != null) {
      m.put(k, v);
    }
  }
}
