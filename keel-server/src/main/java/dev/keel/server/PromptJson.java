package dev.keel.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.prompts.ChatMessage;
import dev.keel.prompts.NewPromptVersion;
import dev.keel.prompts.PromptDiff;
import dev.keel.prompts.PromptException;
import dev.keel.prompts.PromptRules;
import dev.keel.prompts.PromptVersion;
import dev.keel.store.Page;
import dev.keel.store.PromptSummary;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Langfuse's prompt objects (reference/langfuse-compat.md section 5) to and from JSON: the
 * create body, the {@code Prompt} answer and the list. Keel adds {@code contentHash} to a
 * Prompt and reads an optional {@code author} on create.
 */
final class PromptJson {

  static final ObjectMapper JSON = new ObjectMapper();

  private PromptJson() {
  }

  /** The create body as a version; a 400 naming the field when a field has the wrong type. */
  static NewPromptVersion newVersion(ObjectNode body) {
    String name = text(body, "name", true);
    JsonNode prompt = body.get("prompt");
    String type = text(body, "type", false);
    if (type == null) {
      type = prompt != null && prompt.isArray() ? "chat" : "text";
    }
    String textBody = null;
    List<ChatMessage> messages = null;
    if (type.equals("chat")) {
      messages = messages(prompt);
    } else if (prompt != null && prompt.isTextual()) {
      textBody = prompt.asText();
    } else if (type.equals("text")) {
      throw PromptException.invalid("prompt must be a string for a text prompt", "prompt");
    }
    List<String> labels = strings(body, "labels");
    if (body.path("isActive").asBoolean(false)) {
      labels = new ArrayList<>(labels == null ? List.of() : labels);
      labels.add(PromptRules.PRODUCTION);
    }
    JsonNode config = body.get("config");
    return new NewPromptVersion(name, type, textBody, messages,
        config == null || config.isNull() ? null : config.toString(), labels,
        strings(body, "tags"), text(body, "commitMessage", false), text(body, "author", false));
  }

  /** Langfuse's {@code Prompt}, plus {@code contentHash}. */
  static ObjectNode prompt(String projectId, PromptVersion v, List<String> tags) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", UUID.nameUUIDFromBytes((projectId + "\n" + v.name() + "\n" + v.version())
        .getBytes(StandardCharsets.UTF_8)).toString());
    o.put("name", v.name()).put("version", v.version()).put("type", v.type());
    if (v.type().equals("chat")) {
      ArrayNode list = o.putArray("prompt");
      v.messages().forEach(m -> list.addObject().put("type", "chatmessage")
          .put("role", m.role()).put("content", m.content()));
    } else {
      o.put("prompt", v.text());
    }
    o.set("config", parse(v.configJson()));
    o.set("labels", JSON.valueToTree(v.labels()));
    o.set("tags", JSON.valueToTree(tags));
    o.put("commitMessage", v.commitMessage());
    o.putNull("resolutionGraph");
    o.put("projectId", projectId);
    o.put("createdBy", v.author() == null ? "API" : v.author());
    o.put("createdAt", v.createdAt().toString()).put("updatedAt", v.createdAt().toString());
    o.put("isActive", v.labels().contains(PromptRules.PRODUCTION));
    o.put("contentHash", v.contentHash());
    return o;
  }

  /** The list answer: {@code {data: [...], meta}}. */
  static ObjectNode list(Page<PromptSummary> page) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode data = root.putArray("data");
    for (PromptSummary s : page.items()) {
      ObjectNode o = data.addObject().put("name", s.name()).put("type", s.type());
      o.set("versions", JSON.valueToTree(s.versions()));
      o.set("labels", JSON.valueToTree(s.labels()));
      o.set("tags", JSON.valueToTree(s.tags()));
      o.put("lastUpdatedAt", s.lastUpdatedAt().toString());
      o.set("lastConfig", parse(s.lastConfigJson()));
    }
    root.putObject("meta").put("page", page.page()).put("limit", page.limit())
        .put("totalItems", page.totalItems()).put("totalPages", page.totalPages());
    return root;
  }

  static ObjectNode diff(PromptDiff d) {
    return JSON.createObjectNode().put("name", d.name()).put("from", d.from())
        .put("to", d.to()).put("changed", d.changed()).put("diff", d.unified());
  }

  static String text(ObjectNode body, String field, boolean required) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      if (required) {
        throw PromptException.invalid(field + " is required", field);
      }
      return null;
    }
    if (!n.isTextual()) {
      throw PromptException.invalid(field + " must be a string, got "
          + n.getNodeType().name().toLowerCase(), field);
    }
    return n.asText();
  }

  static List<String> strings(ObjectNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    var out = new ArrayList<String>();
    if (n.isArray()) {
      for (JsonNode e : n) {
        if (!e.isTextual()) {
          break;
        }
        out.add(e.asText());
      }
      if (out.size() == n.size()) {
        return out;
      }
    }
    throw PromptException.invalid(field + " must be a list of strings", field);
  }

  private static List<ChatMessage> messages(JsonNode prompt) {
    if (prompt == null || !prompt.isArray()) {
      throw PromptException.invalid("prompt must be a list of messages for a chat prompt",
          "prompt");
    }
    var out = new ArrayList<ChatMessage>();
    for (JsonNode m : prompt) {
      if ("placeholder".equals(m.path("type").asText())) {
        throw PromptException.invalid("placeholder messages are not supported by Keel; use"
            + " {{variables}} in message content", "prompt");
      }
      if (!m.path("role").isTextual() || !m.path("content").isTextual()) {
        throw PromptException.invalid("each chat message needs string 'role' and 'content'",
            "prompt");
      }
      out.add(new ChatMessage(m.get("role").asText(), m.get("content").asText()));
    }
    if (out.isEmpty()) {
      throw PromptException.invalid("a chat prompt needs at least one message", "prompt");
    }
    return out;
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new KeelException(ErrorCode.INTERNAL, "stored prompt config is not JSON");
    }
  }
}
