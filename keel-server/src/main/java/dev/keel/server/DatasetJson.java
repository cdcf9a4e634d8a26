package dev.keel.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.keel.store.DatasetChange;
import dev.keel.store.DatasetDraft;
import dev.keel.store.DatasetItemDraft;
import dev.keel.store.DatasetItemRecord;
import dev.keel.store.DatasetRecord;
import dev.keel.store.DatasetRun;
import dev.keel.store.DatasetRunItem;
import dev.keel.store.DatasetRunItemDraft;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Langfuse's dataset, dataset item, run and run item objects, both ways. Keel adds
 * {@code version} (the dataset's newest version number) to datasets and {@code contexts} and
 * {@code version} to items; Langfuse clients ignore fields they do not know.
 */
final class DatasetJson {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private DatasetJson() {
  }

  static DatasetDraft draft(ObjectNode body) {
    return new DatasetDraft(text(body, "name", true), text(body, "description", false),
        raw(body.get("metadata")), raw(body.get("inputSchema")),
        raw(body.get("expectedOutputSchema")));
  }

  static DatasetItemDraft item(JsonNode n) {
    if (!n.isObject()) {
      throw new IllegalArgumentException("an item must be a JSON object");
    }
    ObjectNode o = (ObjectNode) n;
    JsonNode expected = o.has("expectedOutput") ? o.get("expectedOutput")
        : o.get("expected_output");
    return new DatasetItemDraft(text(o, "id", false), text(o, "status", false),
        raw(o.get("input")), raw(expected), contexts(o.get("contexts")), raw(o.get("metadata")),
        text(o, "sourceTraceId", false), text(o, "sourceObservationId", false));
  }

  /** {@code draft} with the fields {@code body} does not name taken from {@code stored}. */
  static DatasetItemDraft merge(ObjectNode body, DatasetItemDraft draft, DatasetItemRecord stored) {
    boolean expected = body.has("expectedOutput") || body.has("expected_output");
    return new DatasetItemDraft(draft.id(),
        body.has("status") ? draft.status() : stored.status(),
        body.has("input") ? draft.input() : stored.input(),
        expected ? draft.expectedOutput() : stored.expectedOutput(),
        body.has("contexts") ? draft.contexts() : stored.contexts(),
        body.has("metadata") ? draft.metadata() : stored.metadata(),
        body.has("sourceTraceId") ? draft.sourceTraceId() : stored.sourceTraceId(),
        body.has("sourceObservationId") ? draft.sourceObservationId()
            : stored.sourceObservationId());
  }

  static DatasetRunItemDraft runItem(ObjectNode body) {
    JsonNode version = body.get("datasetVersion");
    Integer v = version == null || version.isNull() || !version.canConvertToInt() ? null
        : version.asInt();
    return new DatasetRunItemDraft(text(body, "runName", true),
        text(body, "runDescription", false), raw(body.get("metadata")),
        text(body, "datasetItemId", true), text(body, "traceId", true),
        text(body, "observationId", false), v, time(text(body, "createdAt", false)));
  }

  static ObjectNode dataset(String projectId, DatasetRecord d) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", d.id());
    n.put("name", d.name());
    n.put("description", d.description());
    n.set("metadata", json(d.metadata()));
    n.set("inputSchema", json(d.inputSchema()));
    n.set("expectedOutputSchema", json(d.expectedOutputSchema()));
    n.put("projectId", projectId);
    n.put("version", d.version());
    n.put("createdAt", TIME.format(d.createdAt()));
    n.put("updatedAt", TIME.format(d.updatedAt()));
    return n;
  }

  static ObjectNode item(DatasetItemRecord i) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", i.id());
    n.put("status", i.status());
    n.set("input", json(i.input()));
    n.set("expectedOutput", json(i.expectedOutput()));
    n.set("metadata", json(i.metadata()));
    n.putArray("contexts").addAll(i.contexts().stream().map(TextNode::valueOf).toList());
    n.put("sourceTraceId", i.sourceTraceId());
    n.put("sourceObservationId", i.sourceObservationId());
    n.put("datasetId", i.datasetId());
    n.put("datasetName", i.datasetName());
    n.put("version", i.version());
    n.put("createdAt", TIME.format(i.createdAt()));
    n.put("updatedAt", TIME.format(i.updatedAt()));
    n.putArray("mediaReferences");
    return n;
  }

  static ObjectNode run(DatasetRun r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", r.id());
    n.put("name", r.name());
    n.put("description", r.description());
    n.set("metadata", json(r.metadata()));
    n.put("datasetId", r.datasetId());
    n.put("datasetName", r.datasetName());
    n.put("createdAt", TIME.format(r.createdAt()));
    n.put("updatedAt", TIME.format(r.updatedAt()));
    return n;
  }

  static ObjectNode runItem(DatasetRunItem x) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", x.id());
    n.put("datasetRunId", x.runId());
    n.put("datasetRunName", x.runName());
    n.put("datasetItemId", x.datasetItemId());
    n.put("traceId", x.traceId());
    n.put("observationId", x.observationId());
    n.put("datasetVersion", x.datasetVersion());
    n.put("createdAt", TIME.format(x.createdAt()));
    n.put("updatedAt", TIME.format(x.updatedAt()));
    return n;
  }

  static ObjectNode change(DatasetChange c) {
    ObjectNode n = JSON.createObjectNode();
    n.put("version", c.version());
    n.put("changed", c.changed());
    n.put("added", c.added());
    n.put("updated", c.updated());
    n.put("removed", c.removed());
    n.put("unchanged", c.unchanged());
    n.putArray("itemIds").addAll(c.itemIds().stream().map(TextNode::valueOf).toList());
    return n;
  }

  /** Stored text as JSON: text that is not JSON (a plain string) becomes a JSON string. */
  static JsonNode json(String raw) {
    if (raw == null) {
      return NullNode.instance;
    }
    try {
      return JSON.readTree(raw);
    } catch (JsonProcessingException e) {
      return TextNode.valueOf(raw);
    }
  }

  /** A stored trace field as JSON text for an item (a plain string becomes a JSON string). */
  static String jsonText(String stored) {
    return stored == null ? null : json(stored).toString();
  }

  static Instant time(String v) {
    if (v == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("createdAt must be an ISO-8601 date-time, got "
          + (v.length() > 80 ? v.substring(0, 80) + "..." : v));
    }
  }

  static String text(ObjectNode body, String field, boolean required) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new IllegalArgumentException(field + " is required");
      }
      return null;
    }
    if (!v.isTextual() || (required && v.asText().isBlank())) {
      throw new IllegalArgumentException(field + " must be a non-empty string");
    }
    return v.asText();
  }

  private static String raw(JsonNode n) {
    return n == null || n.isNull() ? null : n.toString();
  }

  private static List<String> contexts(JsonNode n) {
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      throw new IllegalArgumentException("contexts must be a list of strings");
    }
    var out = new ArrayList<String>();
    for (JsonNode c : n) {
      if (!c.isTextual()) {
        throw new IllegalArgumentException("contexts must be a list of strings");
      }
      out.add(c.asText());
    }
    return out;
  }
}
