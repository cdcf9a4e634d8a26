package dev.keel.prompts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads and writes prompt files: Markdown with YAML front matter between {@code ---} lines.
 * Front matter keys: {@code type}, {@code config}, {@code messages} (chat), and {@code labels}
 * and {@code version} (written by pull). The body after the front matter is the template of a
 * text prompt; its final line break belongs to the file, not the template, so a file written
 * by {@link #format} reads back to the same content.
 */
public final class PromptFiles {

  /** The file name suffix of prompt files. */
  public static final String SUFFIX = ".md";

  private static final String FENCE = "---";
  private static final Set<String> KEYS = Set.of("type", "config", "messages", "labels",
      "version");
  private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .build());

  private PromptFiles() {
  }

  /** Every {@code *.md} file under {@code dir}, by name. */
  public static List<PromptFile> readDir(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw PromptException.invalid("not a folder: " + dir, null);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      var out = new ArrayList<PromptFile>();
      for (Path f : files.filter(f -> f.toString().endsWith(SUFFIX) && Files.isRegularFile(f))
          .sorted().toList()) {
        String rel = dir.relativize(f).toString().replace('\\', '/');
        out.add(parse(rel.substring(0, rel.length() - SUFFIX.length()),
            Files.readString(f, StandardCharsets.UTF_8)));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read prompt files under " + dir, e);
    }
  }

  /** Writes {@code f} to {@code dir/<name>.md}, creating folders; returns the path. */
  public static Path write(Path dir, PromptFile f) {
    Path target = dir.resolve(PromptRules.checkName(f.name()) + SUFFIX).normalize();
    if (!target.startsWith(dir.normalize())) {
      throw PromptException.invalid("prompt name leaves the folder: " + f.name(), "name");
    }
    try {
      Files.createDirectories(target.getParent());
      Files.writeString(target, format(f), StandardCharsets.UTF_8);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + target, e);
    }
  }

  /** Parses the text of the file of prompt {@code name}. */
  public static PromptFile parse(String name, String content) {
    String where = "file " + name + SUFFIX;
    String text = content.replace("\r\n", "\n");
    JsonNode front = YAML.createObjectNode();
    String body = text;
    if (text.startsWith(FENCE + "\n")) {
      int end = text.indexOf("\n" + FENCE, FENCE.length());
      while (end >= 0 && !lineEndsAt(text, end + 1 + FENCE.length())) {
        end = text.indexOf("\n" + FENCE, end + 1);
      }
      if (end < 0) {
        throw PromptException.invalid(where + ": front matter has no closing '---' line", null);
      }
      front = readYaml(text.substring(FENCE.length() + 1, end + 1), where);
      int bodyStart = end + 1 + FENCE.length();
      body = bodyStart >= text.length() ? "" : text.substring(bodyStart + 1);
    }
    body = body.endsWith("\n") ? body.substring(0, body.length() - 1) : body;
    return fromFront(name, front, body, where);
  }

  /** The file text of {@code f}. */
  public static String format(PromptFile f) {
    ObjectNode front = YAML.createObjectNode();
    front.put("type", f.type());
    if (f.version() != null) {
      front.put("version", f.version());
    }
    if (!f.labels().isEmpty()) {
      ObjectNode labels = front.putObject("labels");
      f.labels().forEach(labels::put);
    }
    ObjectNode config = PromptContent.parseConfig(f.configJson());
    if (!config.isEmpty()) {
      front.set("config", config);
    }
    if (f.type().equals("chat")) {
      front.set("messages", PromptContent.messagesNode(f.messages()));
    }
    try {
      String body = f.type().equals("chat") ? "" : f.text() + "\n";
      return FENCE + "\n" + YAML.writeValueAsString(front) + FENCE + "\n" + body;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write YAML front matter", e);
    }
  }

  private static boolean lineEndsAt(String text, int index) {
    return index == text.length() || text.charAt(index) == '\n';
  }

  private static ObjectNode readYaml(String yaml, String where) {
    try {
      JsonNode node = YAML.readTree(yaml);
      if (node == null || node.isMissingNode() || node.isNull()) {
        return YAML.createObjectNode();
      }
      if (!(node instanceof ObjectNode o)) {
        throw PromptException.invalid(where + ": front matter must be a YAML mapping", null);
      }
      return o;
    } catch (JsonProcessingException e) {
      throw PromptException.invalid(where + ": front matter is not valid YAML: "
          + e.getOriginalMessage(), null);
    }
  }

  private static PromptFile fromFront(String name, JsonNode front, String body, String where) {
    front.fieldNames().forEachRemaining(k -> {
      if (!KEYS.contains(k)) {
        throw PromptException.invalid(where + ": unknown front matter key '" + k
            + "'; known keys: type, config, messages, labels, version", null);
      }
    });
    String type = front.path("type").asText("text");
    String config = front.has("config") ? front.get("config").toString() : null;
    if (config != null && !front.get("config").isObject()) {
      throw PromptException.invalid(where + ": config must be a mapping", "config");
    }
    Integer version = front.has("version") ? front.get("version").asInt() : null;
    Map<String, Integer> labels = labels(front.path("labels"));
    if (type.equals("chat")) {
      if (!body.isBlank()) {
        throw PromptException.invalid(where + ": a chat prompt keeps its messages in the front"
            + " matter ('messages'); the text after it must be empty", "prompt");
      }
      return new PromptFile(name, type, null, messages(front.path("messages"), where), config,
          labels, version);
    }
    if (front.has("messages")) {
      throw PromptException.invalid(where + ": 'messages' needs 'type: chat'", "type");
    }
    return new PromptFile(name, type, body, null, config, labels, version);
  }

  private static List<ChatMessage> messages(JsonNode node, String where) {
    if (!(node instanceof ArrayNode list) || list.isEmpty()) {
      throw PromptException.invalid(where + ": a chat prompt needs 'messages', a list of"
          + " {role, content}", "prompt");
    }
    var out = new ArrayList<ChatMessage>();
    for (JsonNode m : list) {
      // Scalars are taken as text: a hand-written "content: 42" means the text 42.
      if (!m.path("role").isValueNode() || !m.path("content").isValueNode()) {
        throw PromptException.invalid(where + ": each message needs text 'role' and"
            + " 'content': " + m, "prompt");
      }
      out.add(new ChatMessage(m.get("role").asText(), m.get("content").asText()));
    }
    return out;
  }

  private static Map<String, Integer> labels(JsonNode node) {
    var out = new LinkedHashMap<String, Integer>();
    node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asInt()));
    return out;
  }
}
