package dev.keel.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects a request's message text: the prompt for token counting with directives stripped,
 * the last user message, and directives from the places they count (system, then last user).
 */
final class MessageText {

  private final StringBuilder prompt = new StringBuilder();
  private final List<Directive> systemDirectives = new ArrayList<>();
  private List<Directive> userDirectives = List.of();
  private String lastUser = "";

  /** Adds system text; its directives always count. */
  void system(String text) {
    DirectiveParser.Parsed p = DirectiveParser.parse(text);
    systemDirectives.addAll(p.directives());
    append(p.cleanText());
  }

  /** Adds a user message's text; only the last one's directives count. */
  void user(String text) {
    DirectiveParser.Parsed p = DirectiveParser.parse(text);
    userDirectives = p.directives();
    lastUser = p.cleanText();
    append(p.cleanText());
  }

  /** Adds other text (assistant turns, tool results, tool calls); directives are stripped. */
  void other(String text) {
    append(DirectiveParser.parse(text).cleanText());
  }

  String prompt() {
    return prompt.toString();
  }

  String lastUser() {
    return lastUser;
  }

  List<Directive> directives() {
    if (systemDirectives.isEmpty()) {
      return userDirectives;
    }
    List<Directive> all = new ArrayList<>(systemDirectives);
    all.addAll(userDirectives);
    return all;
  }

  private void append(String text) {
    if (text.isEmpty()) {
      return;
    }
    if (!prompt.isEmpty()) {
      prompt.append('\n');
    }
    prompt.append(text);
  }
}
