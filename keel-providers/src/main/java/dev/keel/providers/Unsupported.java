package dev.keel.providers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a request translator does with a field the other format cannot honour: by default it
 * refuses the request with a 400 naming the field, its value and why; when the client asked for
 * {@code drop_params} it leaves the field out and remembers its path.
 */
final class Unsupported {

  private static final int SHOWN_CHARS = 60;

  private final String target;
  private final boolean drop;
  private final List<String> dropped = new ArrayList<>();

  /**
   * @param target the models the request is translated for, as said in errors
   *     ({@code anthropic}, {@code openai})
   * @param drop leave unsupported fields out instead of refusing the request
   */
  Unsupported(String target, boolean drop) {
    this.target = target;
    this.drop = drop;
  }

  /**
   * Refuses (or drops) {@code path}: "{@code path=value is not supported by <target> models;
   * why}".
   */
  void field(String path, JsonNode value, String why) {
    if (drop) {
      dropped.add(path);
      return;
    }
    throw new KeelException(ErrorCode.INVALID_REQUEST, path + "=" + show(value)
        + " is not supported by " + target + " models" + (why.isEmpty() ? "" : "; " + why)
        + " (or send \"drop_params\": true to have Keel leave out what " + target
        + " models cannot honour)", path, null);
  }

  /** Paths left out so far, in order. */
  List<String> dropped() {
    return List.copyOf(dropped);
  }

  static String show(JsonNode v) {
    String s = v == null ? "null" : v.toString();
    return s.length() > SHOWN_CHARS ? s.substring(0, SHOWN_CHARS) + "..." : s;
  }

  /** True when {@code v} is absent, null, false, 0, an empty string, array or object. */
  static boolean isDefault(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return true;
    }
    if (v.isBoolean()) {
      return !v.asBoolean();
    }
    if (v.isNumber()) {
      return v.asDouble() == 0;
    }
    if (v.isTextual()) {
      return v.asText().isEmpty();
    }
    return v.isContainerNode() && v.isEmpty();
  }
}
