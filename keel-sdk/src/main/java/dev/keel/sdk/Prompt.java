package dev.keel.sdk;

import java.util.List;
import java.util.Map;

/**
 * One version of a prompt from Keel's registry: a {@link TextPrompt} or a {@link ChatPrompt}.
 * Both compile {@code {{variable}}} placeholders with {@code compile(Map)}.
 */
public sealed interface Prompt permits TextPrompt, ChatPrompt {

  /** The prompt's name. */
  String name();

  /** Its version, 1 and up; 0 for a fallback prompt. */
  int version();

  /** The version's config (model, temperature, anything), possibly empty. */
  Map<String, Object> config();

  /** Labels on this version, such as {@code production} and {@code latest}. */
  List<String> labels();

  /** Tags of the prompt. */
  List<String> tags();

  /** True for the application's fallback, served when Keel could not be reached. */
  boolean isFallback();

  /** This prompt as a text prompt; throws {@link IllegalStateException} for a chat prompt. */
  default TextPrompt asText() {
    if (this instanceof TextPrompt text) {
      return text;
    }
    throw new IllegalStateException("prompt is a chat prompt, not text: " + name());
  }

  /** This prompt as a chat prompt; throws {@link IllegalStateException} for a text prompt. */
  default ChatPrompt asChat() {
    if (this instanceof ChatPrompt chat) {
      return chat;
    }
    throw new IllegalStateException("prompt is a text prompt, not chat: " + name());
  }
}
