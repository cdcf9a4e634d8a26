package dev.keel.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Questions with reference answers (and optionally contexts), so simulated models can answer
 * them right or wrong as their quality says. JSONL lines: {@code {"question", "answer",
 * "contexts": [...]}}. The built-in book holds the 300 answerable ClapNQ dev questions.
 */
final class AnswerBook {

  static final String BUILT_IN = "answer-book-clapnq.jsonl";

  /** One question of the book. */
  record Entry(int index, String question, String answer, List<String> contexts) {}

  private final List<Entry> entries;
  private final Map<String, Entry> byQuestion;
  /** The questions normalised once, in entry order: the scan below runs on every request. */
  private final List<String> normalisedQuestions;
  /**
   * Entries by the first {@value #KEY_CHARS} characters of their normalised question, so finding
   * the questions a long prompt contains is one map lookup per word instead of a substring
   * search per question (the scan was the simulator's largest cost under load).
   */
  private final Map<String, List<Integer>> byPrefix;
  private final List<Integer> shortQuestions;
  private static final int KEY_CHARS = 12;

  private AnswerBook(List<Entry> entries) {
    this.entries = List.copyOf(entries);
    Map<String, Entry> m = new HashMap<>();
    for (Entry e : entries) {
      m.putIfAbsent(normalise(e.question()), e);
    }
    this.byQuestion = Map.copyOf(m);
    this.normalisedQuestions = this.entries.stream().map(e -> normalise(e.question())).toList();
    Map<String, List<Integer>> prefixes = new HashMap<>();
    List<Integer> shorts = new java.util.ArrayList<>();
    for (int i = 0; i < normalisedQuestions.size(); i++) {
      String q = normalisedQuestions.get(i);
      if (q.length() < KEY_CHARS) {
        shorts.add(i);
      } else {
        prefixes.computeIfAbsent(q.substring(0, KEY_CHARS), k -> new java.util.ArrayList<>())
            .add(i);
      }
    }
    this.byPrefix = prefixes;
    this.shortQuestions = List.copyOf(shorts);
  }

  static AnswerBook builtIn() {
    InputStream in = AnswerBook.class.getResourceAsStream(BUILT_IN);
    if (in == null) {
      throw new IllegalStateException("the built-in answer book is missing: " + BUILT_IN);
    }
    return read(in, "built-in " + BUILT_IN);
  }

  static AnswerBook load(Path file) {
    try {
      return read(Files.newInputStream(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read answer book " + file + ": " + e.getMessage(), e);
    }
  }

  static AnswerBook read(InputStream in, String source) {
    List<Entry> out = new ArrayList<>();
    try (var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (!line.isBlank()) {
          out.add(entry(line, out.size(), source, n));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read answer book " + source + ": "
          + e.getMessage(), e);
    }
    if (out.size() < 2) {
      throw new IllegalArgumentException("an answer book needs at least 2 questions: " + source
          + " has " + out.size());
    }
    return new AnswerBook(out);
  }

  private static Entry entry(String line, int index, String source, int lineNo) {
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(line);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + " line " + lineNo + " is not JSON", e);
    }
    if (!n.path("question").isTextual() || !n.path("answer").isTextual()) {
      throw new IllegalArgumentException(source + " line " + lineNo
          + " needs string fields question and answer");
    }
    List<String> contexts = new ArrayList<>();
    n.path("contexts").forEach(c -> contexts.add(c.asText()));
    return new Entry(index, n.get("question").asText(), n.get("answer").asText(), contexts);
  }

  int size() {
    return entries.size();
  }

  Entry get(int index) {
    return entries.get(index);
  }

  /**
   * The book's question that {@code text} is or contains, or null. An exact match (after
   * normalising case and spaces) is a map lookup; otherwise the book is scanned, since a prompt
   * often wraps the question in instructions and retrieved passages.
   */
  Entry find(String text) {
    String t = normalise(text);
    Entry exact = byQuestion.get(t);
    if (exact != null) {
      return exact;
    }
    Entry best = null;
    int bestLength = -1;
    for (int start = 0; start + KEY_CHARS <= t.length(); start++) {
      if (start > 0 && Character.isLetterOrDigit(t.charAt(start - 1))) {
        continue;
      }
      List<Integer> candidates = byPrefix.get(t.substring(start, start + KEY_CHARS));
      if (candidates == null) {
        continue;
      }
      for (int i : candidates) {
        String q = normalisedQuestions.get(i);
        if (q.length() > bestLength && t.startsWith(q, start)) {
          best = entries.get(i);
          bestLength = q.length();
        }
      }
    }
    for (int i : shortQuestions) {
      String q = normalisedQuestions.get(i);
      if (q.length() > bestLength && t.contains(q)) {
        best = entries.get(i);
        bestLength = q.length();
      }
    }
    return best;
  }

  /** The entry whose answer {@code text} is, or null. */
  Entry byAnswer(String text) {
    String t = normalise(text);
    for (Entry e : entries) {
      if (normalise(e.answer()).equals(t)) {
        return e;
      }
    }
    return null;
  }

  static String normalise(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
  }
}
