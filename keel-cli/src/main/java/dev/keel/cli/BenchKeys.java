package dev.keel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * For {@code keel bench gateway --with-limits}: a virtual key with a daily budget, soft limits
 * and rpm/tpm limits, all far above what the run spends, so every request pays for the checks
 * (budget reservation and settlement, rate counting and headers) without being refused.
 */
final class BenchKeys {

  private BenchKeys() {}

  static String limitedKey(int port, String masterKey) {
    KeelApiClient api = new KeelApiClient();
    api.url = "http://127.0.0.1:" + port;
    api.key = masterKey;
    ObjectNode b = KeelApiClient.JSON.createObjectNode().put("name", "bench")
        .put("team", "bench").put("rpm", 100_000_000L).put("tpm", 10_000_000_000L);
    b.putObject("budget").put("limit_usd", 1_000_000).put("period", "daily")
        .putArray("soft_limits").add(0.5).add(0.8);
    JsonNode k = api.post("/api/keel/keys", b);
    api.put("/api/keel/budgets", KeelApiClient.JSON.createObjectNode().put("scope", "team")
        .put("subject", "bench").put("limit_usd", 1_000_000).put("period", "monthly"));
    return k.path("key").asText();
  }
}
