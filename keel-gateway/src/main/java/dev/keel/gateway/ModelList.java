package dev.keel.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import java.util.List;

/**
 * The answers of {@code GET /v1/models} and {@code GET /v1/models/{id}}, in OpenAI's shape or,
 * for Anthropic clients, in Anthropic's (paged with {@code limit}, {@code after_id} and
 * {@code before_id}, as its SDKs page). Keel does not know when a provider created a model, so
 * the creation time is the epoch in both shapes.
 */
final class ModelList {

  static final int ANTHROPIC_DEFAULT_LIMIT = 20;
  static final int ANTHROPIC_MAX_LIMIT = 1000;
  private static final String EPOCH = "1970-01-01T00:00:00Z";

  private ModelList() {}

  /** A page of the list in Anthropic's shape. */
  record Page(Integer limit, String afterId, String beforeId) {
    static final Page ALL = new Page(null, null, null);

    Page {
      if (limit != null && (limit < 1 || limit > ANTHROPIC_MAX_LIMIT)) {
        throw new KeelException(ErrorCode.INVALID_REQUEST, "limit must be between 1 and "
            + ANTHROPIC_MAX_LIMIT + ", got: " + limit, "limit", null);
      }
    }
  }

  static ObjectNode openAi(List<String> ids) {
    ObjectNode root = Gateway.JSON.createObjectNode().put("object", "list");
    ArrayNode data = root.putArray("data");
    ids.forEach(id -> data.add(openAiModel(id)));
    return root;
  }

  static ObjectNode anthropic(List<String> ids, Page page) {
    int from = 0;
    int to = ids.size();
    if (page.afterId() != null) {
      from = indexOf(ids, page.afterId(), "after_id") + 1;
    }
    if (page.beforeId() != null) {
      to = indexOf(ids, page.beforeId(), "before_id");
    }
    int limit = page.limit() == null ? ANTHROPIC_DEFAULT_LIMIT : page.limit();
    boolean hasMore;
    if (page.beforeId() != null && page.afterId() == null) {
      // Paging backwards: the page ends just before before_id.
      hasMore = to - from > limit;
      from = Math.max(from, to - limit);
    } else {
      hasMore = to - from > limit;
      to = Math.min(to, from + limit);
    }
    ObjectNode root = Gateway.JSON.createObjectNode();
    ArrayNode data = root.putArray("data");
    for (int i = from; i < to; i++) {
      data.add(anthropicModel(ids.get(i)));
    }
    root.put("has_more", hasMore);
    if (data.isEmpty()) {
      root.putNull("first_id").putNull("last_id");
    } else {
      root.put("first_id", ids.get(from)).put("last_id", ids.get(to - 1));
    }
    return root;
  }

  static ObjectNode openAiModel(String id) {
    return Gateway.JSON.createObjectNode().put("id", id).put("object", "model")
        .put("created", 0).put("owned_by", id.startsWith("claude") ? "anthropic" : "openai");
  }

  static ObjectNode anthropicModel(String id) {
    return Gateway.JSON.createObjectNode().put("type", "model").put("id", id)
        .put("display_name", id).put("created_at", EPOCH);
  }

  private static int indexOf(List<String> ids, String id, String param) {
    int i = ids.indexOf(id);
    if (i < 0) {
      throw new KeelException(ErrorCode.INVALID_REQUEST, param + " names no listed model: "
          + id, param, null);
    }
    return i;
  }
}
