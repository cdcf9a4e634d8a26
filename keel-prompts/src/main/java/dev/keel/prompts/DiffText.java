package dev.keel.prompts;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.List;

/** A version as the lines a diff compares: type, pretty config, then the template. */
final class DiffText {

  private DiffText() {
  }

  static List<String> lines(PromptVersion v) {
    var out = new ArrayList<String>();
    out.add("type: " + v.type());
    out.add("config:");
    out.addAll(split(pretty(v.configJson())));
    if (v.type().equals("chat")) {
      for (ChatMessage m : v.messages()) {
        out.add("[" + m.role() + "]");
        out.addAll(split(m.content()));
      }
    } else {
      out.add("prompt:");
      out.addAll(split(v.text()));
    }
    return out;
  }

  private static String pretty(String configJson) {
    try {
      return PromptContent.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
          PromptContent.canonical(PromptContent.parseConfig(configJson)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored config is malformed JSON", e);
    }
  }

  private static List<String> split(String text) {
    return List.of(text.split("\n", -1));
  }
}
