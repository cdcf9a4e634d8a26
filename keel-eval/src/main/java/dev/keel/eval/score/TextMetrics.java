package dev.keel.eval.score;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pure string metrics: normalised Levenshtein similarity, sentence BLEU and ROUGE-L. Each is a
 * function of two strings, pinned by the worked examples of the evaluation reference.
 */
public final class TextMetrics {

  private static final int MAX_ORDER = 4;

  private TextMetrics() {}

  /** {@code 1 - levenshtein(a, b) / max(|a|, |b|)}; two empty strings are identical (1). */
  public static double levenshteinSimilarity(String a, String b) {
    int max = Math.max(a.length(), b.length());
    return max == 0 ? 1.0 : 1.0 - (double) levenshtein(a, b) / max;
  }

  /**
   * Edit distance with unit costs, over UTF-16 units. Bit-parallel (Myers' algorithm in 64-bit
   * blocks over the shorter string), so a pair of 1,000-character passages costs about 16
   * words per character instead of 1,000 cells.
   */
  public static int levenshtein(String a, String b) {
    String p = a.length() <= b.length() ? a : b;
    String t = p == a ? b : a;
    if (p.isEmpty()) {
      return t.length();
    }
    int m = p.length();
    int words = (m + 63) >>> 6;
    java.util.Map<Character, long[]> peq = new java.util.HashMap<>();
    for (int i = 0; i < m; i++) {
      peq.computeIfAbsent(p.charAt(i), k -> new long[words])[i >>> 6] |= 1L << (i & 63);
    }
    long[] pv = new long[words];
    long[] mv = new long[words];
    java.util.Arrays.fill(pv, -1L);
    long last = 1L << ((m - 1) & 63);
    long[] none = new long[words];
    int score = m;
    for (int j = 0; j < t.length(); j++) {
      long[] eqs = peq.getOrDefault(t.charAt(j), none);
      int hin = 1;
      for (int w = 0; w < words; w++) {
        long high = w == words - 1 ? last : 1L << 63;
        long eq = eqs[w];
        long xv = eq | mv[w];
        if (hin < 0) {
          eq |= 1L;
        }
        long xh = (((eq & pv[w]) + pv[w]) ^ pv[w]) | eq;
        long ph = mv[w] | ~(xh | pv[w]);
        long mh = pv[w] & xh;
        int hout = (ph & high) != 0 ? 1 : (mh & high) != 0 ? -1 : 0;
        ph <<= 1;
        mh <<= 1;
        if (hin < 0) {
          mh |= 1L;
        } else if (hin > 0) {
          ph |= 1L;
        }
        pv[w] = mh | ~(xv | ph);
        mv[w] = ph & xv;
        hin = hout;
      }
      score += hin;
    }
    return score;
  }

  /** The textbook dynamic programme, kept to check the bit-parallel one against. */
  static int levenshteinDp(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      char ca = a.charAt(i - 1);
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (ca == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /**
   * BLEU of one hypothesis against one reference, as sacrebleu's defaults compute it: 13a-style
   * tokens (punctuation split off), case-sensitive, 4-grams, exponential smoothing, brevity
   * penalty; in [0, 1]. A hypothesis shorter than 4 tokens scores 0, as in sacrebleu without
   * effective order.
   */
  public static double bleu(String hypothesis, String reference) {
    List<String> hyp = bleuTokens(hypothesis);
    List<String> ref = bleuTokens(reference);
    if (hyp.size() < MAX_ORDER) {
      return 0.0;
    }
    double logSum = 0;
    double smooth = 1;
    for (int n = 1; n <= MAX_ORDER; n++) {
      Map<List<String>, Integer> refCounts = ngrams(ref, n);
      Map<List<String>, Integer> hypCounts = ngrams(hyp, n);
      int match = 0;
      for (var e : hypCounts.entrySet()) {
        match += Math.min(e.getValue(), refCounts.getOrDefault(e.getKey(), 0));
      }
      int total = hyp.size() - n + 1;
      double p;
      if (match == 0) {
        smooth *= 2;
        p = 1.0 / (smooth * total);
      } else {
        p = (double) match / total;
      }
      logSum += Math.log(p);
    }
    double bp = hyp.size() >= ref.size() ? 1.0 : Math.exp(1.0 - (double) ref.size() / hyp.size());
    return bp * Math.exp(logSum / MAX_ORDER);
  }

  /** Tokens as sacrebleu's 13a tokenizer makes them, for plain text without markup. */
  static List<String> bleuTokens(String s) {
    String t = s.replaceAll("([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@\\/])", " $1 ")
        .replaceAll("([^0-9])([\\.,])", "$1 $2 ")
        .replaceAll("([\\.,])([^0-9])", " $1 $2")
        .replaceAll("([0-9])(-)", "$1 $2 ");
    List<String> out = new ArrayList<>();
    for (String w : t.trim().split("\\s+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  private static Map<List<String>, Integer> ngrams(List<String> tokens, int n) {
    Map<List<String>, Integer> m = new HashMap<>();
    for (int i = 0; i + n <= tokens.size(); i++) {
      m.merge(tokens.subList(i, i + n), 1, Integer::sum);
    }
    return m;
  }

  /** Which ROUGE-L number: F-measure (default), precision or recall. */
  public enum RougeMode { FMEASURE, PRECISION, RECALL }

  /**
   * ROUGE-L from the longest common subsequence of lower-cased [a-z0-9] tokens (rouge_score's
   * tokenizer, without its Porter stemmer). Both empty is 1; one empty is 0.
   */
  public static double rougeL(String candidate, String reference, RougeMode mode) {
    List<String> c = rougeTokens(candidate);
    List<String> r = rougeTokens(reference);
    if (c.isEmpty() && r.isEmpty()) {
      return 1.0;
    }
    if (c.isEmpty() || r.isEmpty()) {
      return 0.0;
    }
    int lcs = lcs(c, r);
    double p = (double) lcs / c.size();
    double rec = (double) lcs / r.size();
    return switch (mode) {
      case PRECISION -> p;
      case RECALL -> rec;
      case FMEASURE -> p + rec == 0 ? 0.0 : 2 * p * rec / (p + rec);
    };
  }

  static List<String> rougeTokens(String s) {
    List<String> out = new ArrayList<>();
    for (String w : s.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  static int lcs(List<String> a, List<String> b) {
    int[] prev = new int[b.size() + 1];
    int[] cur = new int[b.size() + 1];
    for (String x : a) {
      for (int j = 1; j <= b.size(); j++) {
        cur[j] = x.equals(b.get(j - 1)) ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.size()];
  }
}
