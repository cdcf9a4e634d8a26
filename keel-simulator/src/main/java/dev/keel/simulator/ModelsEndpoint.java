package dev.keel.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}}: Anthropic's shape when the request
 * carries {@code anthropic-version} (listing Claude models), OpenAI's otherwise.
 */
final class ModelsEndpoint implements Handler {

  /** A fixed creation time, so listings are byte-for-byte stable. */
  private static final long CREATED = 1_735_689_600L;
  private static final String CREATED_AT = "2025-01-01T00:00:00Z";

  @Override
  public void handle(ServerRequest req, ServerResponse res) {
    boolean anthropic = req.headers().contains(ApiKeys.ANTHROPIC_VERSION);
    if (ApiKeys.of(req) == null) {
      error(res, anthropic, ApiError.of(ApiError.Kind.UNAUTHORIZED, "No API key provided."));
      return;
    }
    String id = req.path().pathParameters().contains("id")
        ? req.path().pathParameters().get("id") : null;
    if (id == null) {
      ChatEndpoint.send(res, 200, "application/json", OpenAiWire.bytes(list(anthropic)));
      return;
    }
    SimulatedModel m = Catalog.find(id);
    if (m == null || anthropic != m.wireFormat().equals(SimulatedModel.ANTHROPIC)) {
      error(res, anthropic, ApiError.of(ApiError.Kind.NOT_FOUND, "model: " + id));
      return;
    }
    ObjectNode node = anthropic ? anthropicModel(m) : openAiModel(m);
    ChatEndpoint.send(res, 200, "application/json", OpenAiWire.bytes(node));
  }

  private static ObjectNode list(boolean anthropic) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ArrayNode data = Json.MAPPER.createArrayNode();
    for (SimulatedModel m : Catalog.MODELS) {
      boolean isClaude = m.wireFormat().equals(SimulatedModel.ANTHROPIC);
      if (anthropic == isClaude) {
        data.add(anthropic ? anthropicModel(m) : openAiModel(m));
      }
    }
    if (anthropic) {
      root.set("data", data);
      root.put("has_more", false);
      root.put("first_id", data.get(0).get("id").asText());
      root.put("last_id", data.get(data.size() - 1).get("id").asText());
    } else {
      root.put("object", "list");
      root.set("data", data);
    }
    return root;
  }

  private static ObjectNode openAiModel(SimulatedModel m) {
    return Json.MAPPER.createObjectNode().put("id", m.id()).put("object", "model")
        .put("created", CREATED).put("owned_by", "system");
  }

  private static ObjectNode anthropicModel(SimulatedModel m) {
    return Json.MAPPER.createObjectNode().put("type", "model").put("id", m.id())
        .put("display_name", m.id() + " (simulated)").put("created_at", CREATED_AT);
  }

  private static void error(ServerResponse res, boolean anthropic, ApiError e) {
    byte[] body = anthropic ? AnthropicWire.anthropicError(e) : OpenAiWire.openAiError(e);
    ChatEndpoint.send(res, e.kind().status, "application/json", body);
  }
}
