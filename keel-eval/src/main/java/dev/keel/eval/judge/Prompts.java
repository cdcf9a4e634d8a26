package dev.keel.eval.judge;

/**
 * Builds judge prompts. Sections are tagged {@code <question>}, {@code <candidate>},
 * {@code <reference>} and {@code <context>}, each tag alone on its line, which both real judges
 * and Keel's simulated judge profile read; text inside a section has its tags neutralised so an
 * answer cannot close the section it sits in.
 */
public final class Prompts {

  private final StringBuilder sb = new StringBuilder();

  public Prompts(String instruction) {
    sb.append(instruction.strip()).append("\n");
  }

  /** Adds a tagged section; a null text adds nothing. */
  public Prompts section(String tag, String text) {
    if (text != null) {
      sb.append("\n<").append(tag).append(">\n").append(neutralise(text).strip())
          .append("\n</").append(tag).append(">\n");
    }
    return this;
  }

  public Prompts line(String text) {
    sb.append("\n").append(text).append("\n");
    return this;
  }

  public String build() {
    return sb.toString();
  }

  static String neutralise(String text) {
    return text.replaceAll("</?(question|candidate|reference|context)>", "[$1]");
  }
}
