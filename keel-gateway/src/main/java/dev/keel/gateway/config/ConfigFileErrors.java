package dev.keel.gateway.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Turns what the YAML reader throws into one line a user can act on: which file, where, what
 * is wrong and, for an unknown key, the keys allowed there. Jackson's own messages name Java
 * classes and reference chains, which mean nothing to someone editing {@code keel.yaml}.
 */
final class ConfigFileErrors {

  private ConfigFileErrors() {}

  static IllegalArgumentException of(Path file, JsonProcessingException e) {
    String name = String.valueOf(file.getFileName());
    String at = e instanceof JsonMappingException m ? keyLine(file, m.getPath())
        : at(e.getLocation());
    String message;
    if (e instanceof UnrecognizedPropertyException u) {
      message = "unknown key '" + u.getPropertyName() + "' in " + name + at + "; allowed "
          + section(u.getPath()) + ": " + String.join(", ", allowed(u));
    } else if (e instanceof ValueInstantiationException v && v.getCause() != null) {
      // A record's compact constructor refused a value, with a message naming key and value;
      // the path ends at the section, so the line is that of the key the message names.
      String named = namedKeyLine(file, v.getPath(), v.getCause().getMessage());
      message = name + (named.isEmpty() ? at : named) + ": " + v.getCause().getMessage();
    } else if (e instanceof InvalidFormatException f) {
      message = "invalid value for " + path(f.getPath()) + " in " + name + at + ": expected "
          + f.getTargetType().getSimpleName() + ", got '" + f.getValue() + "'";
    } else if (e instanceof JsonMappingException m) {
      message = "invalid value for " + path(m.getPath()) + " in "
          + name + at + ": " + firstLine(e.getOriginalMessage());
    } else {
      message = name + " is not valid YAML" + at + ": " + firstLine(e.getOriginalMessage());
    }
    return new IllegalArgumentException(message, e);
  }

  /**
   * " at line N" of the key a mapping error is about. The reader's own location is no use here:
   * records are read whole, so it points past the end of the section.
   */
  private static String keyLine(Path file, List<JsonMappingException.Reference> refs) {
    if (refs.isEmpty()) {
      return "";
    }
    try (JsonParser p = new YAMLFactory().createParser(file.toFile())) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == JsonToken.FIELD_NAME && isAt(p.getParsingContext(), refs)) {
          return " at line " + p.currentTokenLocation().getLineNr();
        }
      }
    } catch (IOException unreadable) {
      // the file was read a moment ago; without a line the message still names the key
    }
    return "";
  }

  /**
   * " at line N" of the key directly inside the section {@code refs} leads to whose name the
   * message mentions (as "section.key" or "key" followed by a space), or "" when none does.
   */
  private static String namedKeyLine(Path file, List<JsonMappingException.Reference> refs,
      String message) {
    if (message == null) {
      return "";
    }
    try (JsonParser p = new YAMLFactory().createParser(file.toFile())) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        JsonStreamContext ctx = p.getParsingContext();
        if (t == JsonToken.FIELD_NAME && ctx.getParent() != null
            && (refs.isEmpty() ? ctx.getParent().inRoot() : isAt(ctx.getParent(), refs))
            && mentions(message, ctx.getCurrentName())) {
          return " at line " + p.currentTokenLocation().getLineNr();
        }
      }
    } catch (IOException unreadable) {
      // the file was read a moment ago; the section's line still points near the value
    }
    return "";
  }

  private static boolean mentions(String message, String key) {
    return message.startsWith(key + " ") || message.contains("." + key + " ")
        || message.contains("." + key + ":") || message.startsWith(key + ":");
  }

  /** Whether the parser's context is the key that {@code refs} leads to. */
  private static boolean isAt(JsonStreamContext ctx, List<JsonMappingException.Reference> refs) {
    for (int i = refs.size() - 1; i >= 0; i--) {
      JsonMappingException.Reference r = refs.get(i);
      boolean same = r.getFieldName() != null
          ? ctx.inObject() && r.getFieldName().equals(ctx.getCurrentName())
          : ctx.inArray() && ctx.getCurrentIndex() == r.getIndex();
      if (!same) {
        return false;
      }
      ctx = ctx.getParent();
    }
    return ctx != null && ctx.inRoot();
  }

  private static String at(JsonLocation loc) {
    if (loc == null || loc.getLineNr() < 1) {
      return "";
    }
    return " at line " + loc.getLineNr() + (loc.getColumnNr() > 0 ? ", column "
        + loc.getColumnNr() : "");
  }

  /** Where an unknown key sits: "at the top level" or "under limits", "under providers[0]". */
  private static String section(List<JsonMappingException.Reference> refs) {
    List<JsonMappingException.Reference> parents = refs.subList(0, Math.max(0,
        refs.size() - 1));
    return parents.isEmpty() ? "at the top level" : "under " + path(parents);
  }

  private static String path(List<JsonMappingException.Reference> refs) {
    var sb = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        sb.append(sb.isEmpty() ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.isEmpty() ? "the document" : sb.toString();
  }

  private static List<String> allowed(UnrecognizedPropertyException u) {
    var names = new TreeSet<String>();
    if (u.getKnownPropertyIds() != null) {
      u.getKnownPropertyIds().stream().filter(Objects::nonNull).map(Object::toString)
          .forEach(names::add);
    }
    return List.copyOf(names);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    String line = s.strip().lines().findFirst().orElse("");
    return line.isEmpty() ? "unreadable" : line;
  }
}
