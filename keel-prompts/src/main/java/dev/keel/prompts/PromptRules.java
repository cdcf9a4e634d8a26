package dev.keel.prompts;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What names, labels and commit messages may be. Names may hold folders ({@code a/b/c}) and
 * become file paths on {@code keel prompt pull}, so they are held to a safe character set.
 */
public final class PromptRules {

  /** The label every new version gets; it cannot be set by hand. */
  public static final String LATEST = "latest";
  /** The label read when a request names neither label nor version. */
  public static final String PRODUCTION = "production";

  static final int MAX_NAME = 255;
  static final int MAX_LABEL = 36;
  static final int MAX_COMMIT_MESSAGE = 500;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_./-]+");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9_.-]+");
  // Langfuse's web app uses these words as routes under a prompt.
  private static final Set<String> RESERVED = Set.of("new", "metrics", "prompt-detail");

  private PromptRules() {
  }

  /** Throws a 400 naming what is wrong with {@code name}; returns it otherwise. */
  public static String checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw PromptException.invalid("prompt name must not be empty", "name");
    }
    if (name.length() > MAX_NAME) {
      throw PromptException.invalid("prompt name must be at most " + MAX_NAME
          + " characters: " + name.length(), "name");
    }
    if (!NAME.matcher(name).matches()) {
      throw PromptException.invalid("prompt name may hold only letters, digits and - _ . /: "
          + quote(name), "name");
    }
    for (String segment : name.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw PromptException.invalid("prompt name must not start or end with /, hold //, or"
            + " a . or .. folder: " + quote(name), "name");
      }
    }
    if (name.contains("..")) {
      throw PromptException.invalid("prompt name must not contain '..': " + quote(name), "name");
    }
    if (RESERVED.contains(name)) {
      throw PromptException.invalid("prompt name is reserved: " + name, "name");
    }
    return name;
  }

  /** Throws a 400 naming what is wrong with {@code label}; returns it otherwise. */
  public static String checkLabel(String label) {
    if (label == null || label.isEmpty() || label.length() > MAX_LABEL
        || !LABEL.matcher(label).matches()) {
      throw PromptException.invalid("label must be 1 to " + MAX_LABEL
          + " of a-z 0-9 _ - . : " + quote(label), "labels");
    }
    return label;
  }

  /** Labels checked and without repeats, in the order given. */
  static List<String> checkLabels(List<String> labels) {
    if (labels == null) {
      return List.of();
    }
    var out = new LinkedHashSet<String>();
    for (String label : labels) {
      out.add(checkLabel(label));
    }
    return new ArrayList<>(out);
  }

  static String checkCommitMessage(String message) {
    if (message != null && message.length() > MAX_COMMIT_MESSAGE) {
      throw PromptException.invalid("commitMessage must be at most " + MAX_COMMIT_MESSAGE
          + " characters: " + message.length(), "commitMessage");
    }
    return message;
  }

  // Shown quoted and cut short: a name is user input and may be long or odd.
  private static String quote(String s) {
    if (s == null) {
      return "null";
    }
    String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    return "'" + cut + "'";
  }
}
