package dev.keel.eval.online;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.Trace;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which traces a rule looks at. Every given condition must hold; a list means any of its values.
 * Names, models and prompt names may use {@code *} as a wildcard.
 *
 * @param traceNames the trace's name is one of these
 * @param models some observation's model is one of these
 * @param tags the trace carries every one of these tags
 * @param environments the trace's environment is one of these
 * @param promptNames some observation used one of these prompts
 * @param promptVersion that observation used this version (needs {@code promptNames})
 * @param userIds the trace's user is one of these
 * @param level some observation is at this level or more severe
 */
public record RuleFilter(List<String> traceNames, List<String> models, List<String> tags,
    List<String> environments, List<String> promptNames, Integer promptVersion,
    List<String> userIds, Level level) {

  /** Matches every trace. */
  public static final RuleFilter ALL = new RuleFilter(null, null, null, null, null, null, null,
      null);

  static final Set<String> KEYS = Set.of("trace_name", "model", "tags", "environment",
      "prompt_name", "prompt_version", "user_id", "level");

  public RuleFilter {
    traceNames = traceNames == null ? List.of() : List.copyOf(traceNames);
    models = models == null ? List.of() : List.copyOf(models);
    tags = tags == null ? List.of() : List.copyOf(tags);
    environments = environments == null ? List.of() : List.copyOf(environments);
    promptNames = promptNames == null ? List.of() : List.copyOf(promptNames);
    userIds = userIds == null ? List.of() : List.copyOf(userIds);
  }

  /** True when the trace and its observations meet every condition. */
  public boolean matches(Trace t, List<Observation> observations) {
    return (traceNames.isEmpty() || anyGlob(traceNames, t.name()))
        && (environments.isEmpty() || environments.contains(t.environment()))
        && (userIds.isEmpty() || userIds.contains(t.userId()))
        && (tags.isEmpty() || (t.tags() != null && t.tags().containsAll(tags)))
        && (models.isEmpty() || observations.stream().anyMatch(o -> anyGlob(models, o.model())))
        && (promptNames.isEmpty() || observations.stream().anyMatch(this::promptMatches))
        && (level == null || observations.stream().anyMatch(
            o -> o.level() != null && o.level().ordinal() >= level.ordinal()));
  }

  /** Reads a {@code filter} mapping; errors name the key under {@code where}. */
  static RuleFilter parse(JsonNode n, String where) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return ALL;
    }
    if (!n.isObject()) {
      throw new IllegalArgumentException(where + " must be a mapping of conditions");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException("unknown key " + where + "." + k + "; allowed: "
            + KEYS.stream().sorted().toList());
      }
    }
    Integer version = null;
    if (n.hasNonNull("prompt_version")) {
      JsonNode v = n.get("prompt_version");
      if (!v.canConvertToExactIntegral() || v.asInt() <= 0) {
        throw new IllegalArgumentException(where + ".prompt_version must be a positive"
            + " integer: " + v);
      }
      if (!n.hasNonNull("prompt_name")) {
        throw new IllegalArgumentException(where + ".prompt_version needs "
            + where + ".prompt_name");
      }
      version = v.asInt();
    }
    return new RuleFilter(strings(n, "trace_name", where), strings(n, "model", where),
        strings(n, "tags", where), strings(n, "environment", where),
        strings(n, "prompt_name", where), version, strings(n, "user_id", where),
        level(n.get("level"), where + ".level"));
  }

  /** The filter as its mapping (only the conditions given). */
  ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    put(n, "trace_name", traceNames);
    put(n, "model", models);
    put(n, "tags", tags);
    put(n, "environment", environments);
    put(n, "prompt_name", promptNames);
    if (promptVersion != null) {
      n.put("prompt_version", promptVersion);
    }
    put(n, "user_id", userIds);
    if (level != null) {
      n.put("level", level.name());
    }
    return n;
  }

  private boolean promptMatches(Observation o) {
    return anyGlob(promptNames, o.promptName())
        && (promptVersion == null || promptVersion.equals(o.promptVersion()));
  }

  private static boolean anyGlob(List<String> patterns, String value) {
    if (value == null) {
      return false;
    }
    for (String p : patterns) {
      if (p.indexOf('*') < 0 ? p.equals(value) : glob(p).matcher(value).matches()) {
        return true;
      }
    }
    return false;
  }

  private static Pattern glob(String p) {
    var sb = new StringBuilder();
    for (String part : p.split("\\*", -1)) {
      if (!sb.isEmpty()) {
        sb.append(".*");
      }
      sb.append(Pattern.quote(part));
    }
    return Pattern.compile(sb.toString(), Pattern.DOTALL);
  }

  private static List<String> strings(JsonNode n, String key, String where) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return List.of();
    }
    var out = new ArrayList<String>();
    if (v.isTextual()) {
      out.add(v.asText());
    } else if (v.isArray()) {
      for (JsonNode e : v) {
        if (!e.isTextual()) {
          throw new IllegalArgumentException(where + "." + key + " must be a string or a list"
              + " of strings: " + v);
        }
        out.add(e.asText());
      }
    } else {
      throw new IllegalArgumentException(where + "." + key + " must be a string or a list of"
          + " strings: " + v);
    }
    for (String s : out) {
      if (s.isBlank()) {
        throw new IllegalArgumentException(where + "." + key + " must not hold a blank value");
      }
    }
    return out;
  }

  private static Level level(JsonNode v, String where) {
    if (v == null || v.isNull()) {
      return null;
    }
    try {
      return Level.valueOf(v.asText().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + " must be one of DEBUG, DEFAULT, WARNING,"
          + " ERROR: " + v);
    }
  }

  private static void put(ObjectNode n, String key, List<String> values) {
    if (values.size() == 1) {
      n.put(key, values.get(0));
    } else if (!values.isEmpty()) {
      values.forEach(n.putArray(key)::add);
    }
  }
}
