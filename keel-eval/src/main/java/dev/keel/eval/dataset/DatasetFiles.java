package dev.keel.eval.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.keel.eval.EvalItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Dataset files: JSONL (one JSON object per line) or CSV (a header row, then one item per
 * record), told apart by the file's extension ({@code .jsonl}, {@code .json}, {@code .csv}).
 *
 * <p>Keys (JSONL) and columns (CSV): {@code input} (required), {@code expected_output} (also
 * {@code expectedOutput} or {@code expected}), {@code contexts} (also
 * {@code reference_contexts}; a list of strings), {@code metadata} (an object) and {@code id}.
 * A CSV cell holding a JSON object or array is read as JSON, anything else as a string. An item
 * without an id gets one derived from its content ({@link ItemHash}), so reading a file twice
 * gives the same ids.
 */
public final class DatasetFiles {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> KEYS = Set.of("id", "input", "expected_output",
      "expectedOutput", "expected", "contexts", "reference_contexts", "metadata");

  private DatasetFiles() {
  }

  /**
   * The items of {@code file}. A broken line is an {@link IllegalArgumentException} naming its
   * line number, and nothing is returned.
   */
  public static List<EvalItem> read(Path file) {
    return parse(file, false).items().stream().map(ParsedItem::item).toList();
  }

  /**
   * The items of {@code file} with their lines. With {@code skipBadLines} a broken line is left
   * out and described in {@link ParsedDataset#skipped()}; without, it throws.
   */
  public static ParsedDataset parse(Path file, boolean skipBadLines) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dataset file " + file + ": " + e.getMessage(), e);
    }
    return parse(text, Format.of(file), skipBadLines);
  }

  /** Parses {@code text} in {@code format}; see {@link #parse(Path, boolean)}. */
  public static ParsedDataset parse(String text, Format format, boolean skipBadLines) {
    var items = new ArrayList<ParsedItem>();
    var skipped = new ArrayList<String>();
    var seen = new HashMap<String, Integer>();
    for (Raw raw : format == Format.CSV ? csv(text) : jsonl(text)) {
      try {
        ParsedItem item = toItem(raw);
        Integer first = seen.putIfAbsent(item.item().id(), raw.line());
        if (first != null) {
          throw new IllegalArgumentException("line " + raw.line() + ": id '"
              + item.item().id() + "' repeats line " + first);
        }
        items.add(item);
      } catch (IllegalArgumentException e) {
        if (!skipBadLines) {
          throw e;
        }
        skipped.add(e.getMessage());
      }
    }
    return new ParsedDataset(items, skipped);
  }

  /** Writes {@code items} to {@code file} in the format its extension names. */
  public static void write(Path file, List<EvalItem> items) {
    try {
      Files.writeString(file, format(items, Format.of(file)), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write dataset file " + file + ": "
          + e.getMessage(), e);
    }
  }

  /** {@code items} as the text of a file in {@code format}. */
  public static String format(List<EvalItem> items, Format format) {
    var out = new StringBuilder();
    if (format == Format.CSV) {
      out.append("id,input,expected_output,contexts,metadata\n");
    }
    for (EvalItem item : items) {
      out.append(format == Format.CSV ? csvLine(item) : jsonLine(item)).append('\n');
    }
    return out.toString();
  }

  /** The item as one JSONL object (the keys this class reads). */
  public static ObjectNode toJson(EvalItem item) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", item.id());
    n.set("input", item.input());
    n.set("expected_output", item.expectedOutput());
    if (!item.contexts().isEmpty()) {
      ArrayNode contexts = n.putArray("contexts");
      item.contexts().forEach(contexts::add);
    }
    n.set("metadata", item.metadata());
    return n;
  }

  /** A dataset file's format. */
  public enum Format {
    JSONL, CSV;

    /** The format {@code file}'s extension names. */
    public static Format of(Path file) {
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      if (name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".ndjson")) {
        return JSONL;
      }
      if (name.endsWith(".csv")) {
        return CSV;
      }
      throw new IllegalArgumentException("dataset file must end in .jsonl or .csv: " + name);
    }
  }

  private record Raw(int line, JsonNode object) {}

  private static List<Raw> jsonl(String text) {
    var out = new ArrayList<Raw>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      out.add(new Raw(i + 1, jsonOrError(line, i + 1)));
    }
    return out;
  }

  // A line that is not JSON still becomes a Raw: toItem reports it, so that skipping works.
  private static JsonNode jsonOrError(String line, int number) {
    try {
      return JSON.readTree(line);
    } catch (JsonProcessingException e) {
      String reason = e.getOriginalMessage();
      return TextNode.valueOf("line " + number + ": not valid JSON: "
          + (reason.length() > 120 ? reason.substring(0, 120) + "..." : reason));
    }
  }

  private static List<Raw> csv(String text) {
    List<Csv.Row> rows = Csv.parse(text.startsWith("\uFEFF") ? text.substring(1) : text);
    if (rows.isEmpty()) {
      return List.of();
    }
    List<String> header = rows.get(0).fields().stream().map(String::strip).toList();
    if (!header.contains("input")) {
      throw new IllegalArgumentException("line 1: the CSV header must name an 'input' column,"
          + " got " + header);
    }
    var out = new ArrayList<Raw>();
    for (Csv.Row row : rows.subList(1, rows.size())) {
      out.add(new Raw(row.line(), csvObject(header, row)));
    }
    return out;
  }

  private static JsonNode csvObject(List<String> header, Csv.Row row) {
    if (row.fields().size() != header.size()) {
      return TextNode.valueOf("line " + row.line() + ": " + row.fields().size()
          + " fields where the header has " + header.size());
    }
    ObjectNode n = JSON.createObjectNode();
    for (int i = 0; i < header.size(); i++) {
      String cell = row.fields().get(i);
      if (!cell.isEmpty()) {
        n.set(header.get(i), cellValue(header.get(i), cell));
      }
    }
    return n;
  }

  private static JsonNode cellValue(String column, String cell) {
    String s = cell.strip();
    if (s.startsWith("{") || s.startsWith("[")) {
      try {
        return JSON.readTree(s);
      } catch (JsonProcessingException e) {
        // Text that merely starts with a bracket stays text.
      }
    }
    return column.equals("id") ? TextNode.valueOf(s) : TextNode.valueOf(cell);
  }

  private static ParsedItem toItem(Raw raw) {
    JsonNode n = raw.object();
    if (n.isTextual()) {
      throw new IllegalArgumentException(n.asText());
    }
    String at = "line " + raw.line() + ": ";
    if (!n.isObject()) {
      throw new IllegalArgumentException(at + "expected a JSON object, got " + n.getNodeType());
    }
    for (var names = n.fieldNames(); names.hasNext();) {
      String name = names.next();
      if (!KEYS.contains(name)) {
        throw new IllegalArgumentException(at + "unknown key '" + name + "'; allowed: id, input,"
            + " expected_output, contexts, metadata");
      }
    }
    JsonNode input = n.get("input");
    if (input == null || input.isNull()) {
      throw new IllegalArgumentException(at + "input is missing");
    }
    JsonNode metadata = n.get("metadata");
    if (metadata != null && !metadata.isObject() && !metadata.isNull()) {
      throw new IllegalArgumentException(at + "metadata must be an object");
    }
    List<String> contexts = contexts(at, first(n, "contexts", "reference_contexts"));
    JsonNode expected = first(n, "expected_output", "expectedOutput", "expected");
    JsonNode id = n.get("id");
    if (id != null && !id.isNull() && !(id.isTextual() || id.isNumber())) {
      throw new IllegalArgumentException(at + "id must be a string");
    }
    boolean explicit = id != null && !id.isNull() && !id.asText().isBlank();
    var draft = new EvalItem("draft", input, nullIfNull(expected), contexts,
        nullIfNull(metadata));
    String itemId = explicit ? id.asText().strip() : ItemHash.derivedId(draft);
    return new ParsedItem(raw.line(), new EvalItem(itemId, input, draft.expectedOutput(),
        contexts, draft.metadata()), explicit);
  }

  private static List<String> contexts(String at, JsonNode n) {
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (n.isTextual()) {
      return List.of(n.asText());
    }
    if (!n.isArray()) {
      throw new IllegalArgumentException(at + "contexts must be a list of strings");
    }
    var out = new ArrayList<String>();
    for (JsonNode c : n) {
      if (!c.isTextual()) {
        throw new IllegalArgumentException(at + "contexts must be a list of strings");
      }
      out.add(c.asText());
    }
    return out;
  }

  private static JsonNode first(JsonNode n, String... names) {
    for (String name : names) {
      if (n.has(name)) {
        return n.get(name);
      }
    }
    return null;
  }

  private static JsonNode nullIfNull(JsonNode n) {
    return n == null || n.isNull() ? null : n;
  }

  private static String jsonLine(EvalItem item) {
    try {
      return JSON.writeValueAsString(toJson(item));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render item " + item.id(), e);
    }
  }

  private static String csvLine(EvalItem item) {
    ArrayNode contexts = JSON.createArrayNode();
    item.contexts().forEach(contexts::add);
    return String.join(",", Csv.field(item.id()), Csv.field(cell(item.input())),
        Csv.field(cell(item.expectedOutput())),
        Csv.field(item.contexts().isEmpty() ? "" : contexts.toString()),
        Csv.field(item.metadata() == null ? "" : item.metadata().toString()));
  }

  private static String cell(JsonNode n) {
    return n == null || n.isNull() ? "" : n.isTextual() ? n.asText() : n.toString();
  }
}
