package dev.keel.simulator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Word-overlap arithmetic behind the simulated judge. */
final class Lexical {

  /** A claim counts as supported when this share of its content words occur in the premise. */
  static final double SUPPORTED = 0.6;

  private static final Set<String> STOP = Set.of("a", "an", "the", "and", "or", "but", "of",
      "to", "in", "on", "at", "by", "for", "with", "from", "as", "is", "are", "was", "were", "be",
      "been", "it", "its", "this", "that", "these", "those", "which", "who", "what", "when",
      "where", "how", "why", "do", "does", "did", "has", "have", "had", "not", "no", "there",
      "their", "they", "he", "she", "his", "her", "i", "you", "we", "can", "will", "would",
      "s", "into", "also", "than", "then", "such", "so", "if", "about");

  private Lexical() {}

  /** Lower-cased words of letters and digits, stop words removed. */
  static List<String> contentWords(String text) {
    List<String> out = new ArrayList<>();
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!w.isEmpty() && !STOP.contains(w)) {
        out.add(w);
      }
    }
    return out;
  }

  /** Share of {@code claim}'s content words found in {@code premise}; 0 for an empty claim. */
  static double support(String claim, String premise) {
    List<String> words = contentWords(claim);
    if (words.isEmpty()) {
      return 0;
    }
    Set<String> p = new HashSet<>(contentWords(premise));
    long hit = words.stream().filter(p::contains).count();
    return (double) hit / words.size();
  }

  static boolean supported(String claim, String premise) {
    return support(claim, premise) >= SUPPORTED;
  }

  /**
   * Sentences of {@code text}; a numbered list ("1. ...") gives its items. Splits after . ! ?
   * followed by a space and a capital or digit, which keeps "e.g. foo" and "3.5" whole.
   */
  static List<String> sentences(String text) {
    List<String> out = new ArrayList<>();
    String[] lines = text.strip().split("\\n+");
    boolean numbered = lines.length > 0 && lines[0].strip().matches("^\\d+[.)]\\s.*");
    if (numbered) {
      for (String l : lines) {
        String s = l.strip().replaceFirst("^\\d+[.)]\\s+", "");
        if (!s.isEmpty()) {
          out.add(s);
        }
      }
      return out;
    }
    for (String s : text.strip().split("(?<=[.!?])\\s+(?=[\\p{Lu}\\p{N}])")) {
      if (!contentWords(s).isEmpty()) {
        out.add(s.strip());
      }
    }
    return out;
  }
}
