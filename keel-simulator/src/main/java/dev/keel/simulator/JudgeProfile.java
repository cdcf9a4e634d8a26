package dev.keel.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated judge: a request whose last user message has {@code <question>}, {@code
 * <candidate>}, {@code <reference>} or {@code <context>} sections (each tag alone on its line, so
 * an instruction that merely names a section is no section) gets the JSON its schema asks for,
 * filled from lexical overlap between the sections. Known properties: {@code statements} (the
 * candidate's sentences, refusals left out), {@code verdicts} (each candidate statement supported
 * by the context, else the reference), {@code classifications} (each reference sentence attributed
 * to the context), {@code verdict} (the context supports the reference or candidate), {@code score}
 * (the candidate's overlap with the reference, context or question, on the schema's scale), {@code
 * winner} (of two candidates, the one closer to the reference or question), {@code question} and
 * {@code noncommittal} (the question a candidate answers). Any other property gets a minimal valid
 * value. Deterministic and plausible; no model's measure.
 */
final class JudgeProfile {

  private static final Pattern SECTION =
      Pattern.compile("^<(question|candidate|reference|context)>$(.*?)^</\\1>$",
          Pattern.DOTALL | Pattern.MULTILINE);
  private static final Pattern EVASIVE = Pattern.compile(
      "i don't know|i do not know|cannot answer|can't answer|not sure|no information",
      Pattern.CASE_INSENSITIVE);

  /** The tagged sections of one judge prompt. */
  record Sections(String question, List<String> candidates, String reference, String context) {

    String candidate() {
      return candidates.isEmpty() ? "" : candidates.get(0);
    }

    /** What a candidate is checked against: context first, then reference, then question. */
    String premise() {
      return context != null ? context : reference != null ? reference : question == null ? ""
          : question;
    }
  }

  private final AnswerBook book;

  JudgeProfile(AnswerBook book) {
    this.book = book;
  }

  /** The sections, or null when the text has none (not a judge prompt). */
  static Sections sections(String text) {
    if (text == null || text.indexOf('<') < 0) {
      return null;
    }
    Matcher m = SECTION.matcher(text);
    String q = null;
    String ref = null;
    String ctx = null;
    List<String> cands = new ArrayList<>();
    boolean any = false;
    while (m.find()) {
      any = true;
      String body = m.group(2).strip();
      switch (m.group(1)) {
        case "question" -> q = body;
        case "candidate" -> cands.add(body);
        case "reference" -> ref = body;
        default -> ctx = body;
      }
    }
    return any ? new Sections(q, cands, ref, ctx) : null;
  }

  /** The answer JSON for {@code schema} (an object schema). */
  ObjectNode answer(Sections s, JsonNode schema) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    Iterator<java.util.Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
    while (it.hasNext()) {
      var p = it.next();
      out.set(p.getKey(), value(p.getKey(), p.getValue(), s));
    }
    return out;
  }

  private JsonNode value(String name, JsonNode prop, Sections s) {
    var f = Json.MAPPER.getNodeFactory();
    return switch (name) {
      // A refusal ("I don't know") claims nothing, so it yields no statements.
      case "statements" -> strings(Lexical.sentences(s.candidate()).stream()
          .filter(c -> !EVASIVE.matcher(c).find()).toList());
      case "verdicts" -> judged(Lexical.sentences(s.candidate()), s.premise(), "verdict", prop);
      case "classifications" -> judged(Lexical.sentences(s.reference() == null ? ""
          : s.reference()), s.context() == null ? "" : s.context(), "attributed", prop);
      case "verdict" -> f.numberNode(usefulness(s) ? 1 : 0);
      case "score" -> score(s, prop);
      case "winner" -> f.textNode(winner(s));
      case "question" -> f.textNode(question(s.candidate()));
      case "noncommittal" -> f.numberNode(EVASIVE.matcher(s.candidate()).find() ? 1 : 0);
      case "reason" -> f.textNode("simulated judge: verdicts from word overlap between the "
          + "tagged sections");
      default -> SchemaInstances.minimal(prop);
    };
  }

  private static ArrayNode strings(List<String> items) {
    ArrayNode a = Json.MAPPER.createArrayNode();
    items.forEach(a::add);
    return a;
  }

  private static ArrayNode judged(List<String> claims, String premise, String flag,
      JsonNode prop) {
    ArrayNode a = Json.MAPPER.createArrayNode();
    for (String c : claims) {
      ObjectNode o = a.addObject();
      double share = Lexical.support(c, premise);
      o.put("statement", c);
      o.put("reason", String.format(Locale.ROOT, "%.0f%% of its content words occur in the "
          + "premise", share * 100));
      o.put(flag, share >= Lexical.SUPPORTED ? 1 : 0);
    }
    return a;
  }

  private static boolean usefulness(Sections s) {
    String answer = s.reference() != null ? s.reference() : s.candidate();
    if (s.context() == null || answer.isEmpty()) {
      return false;
    }
    // Useful when a good share of the answer's sentences are supported by this context.
    List<String> claims = Lexical.sentences(answer);
    long hit = claims.stream().filter(c -> Lexical.supported(c, s.context())).count();
    return !claims.isEmpty() && hit * 2 >= claims.size();
  }

  private static JsonNode score(Sections s, JsonNode prop) {
    int min = prop.path("minimum").asInt(0);
    int max = prop.path("maximum").asInt(min == 0 ? 1 : 10);
    String target = s.reference() != null ? s.reference() : s.premise();
    double overlap = symmetric(s.candidate(), target);
    long v = Math.round(min + overlap * (max - min));
    return prop.path("type").asText().equals("number")
        ? Json.MAPPER.getNodeFactory().numberNode(min + overlap * (max - min))
        : Json.MAPPER.getNodeFactory().numberNode(v);
  }

  private static String winner(Sections s) {
    if (s.candidates().size() < 2) {
      return "tie";
    }
    String target = s.reference() != null ? s.reference() : s.question() == null ? ""
        : s.question();
    double a = symmetric(s.candidates().get(0), target);
    double b = symmetric(s.candidates().get(1), target);
    return Math.abs(a - b) < 0.02 ? "tie" : a > b ? "A" : "B";
  }

  /** Harmonic mean of both directions' support, so neither padding nor brevity wins. */
  private static double symmetric(String x, String y) {
    double p = Lexical.support(x, y);
    double r = Lexical.support(y, x);
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  private String question(String candidate) {
    AnswerBook.Entry e = book == null ? null : book.byAnswer(candidate);
    if (e != null) {
      return e.question();
    }
    List<String> words = Lexical.contentWords(candidate);
    return words.isEmpty() ? "" : "what about " + String.join(" ",
        words.subList(0, Math.min(10, words.size()))) + "?";
  }
}
