package dev.keel.server.ui;

import java.util.ArrayList;
import java.util.List;

/**
 * A side-by-side line diff: the longest common subsequence of lines, with removed lines on the
 * left, added lines on the right and changed runs paired up. Prompts are short; past
 * {@link #MAX_LINES} lines per side the tail is compared as one block, keeping the table quadratic
 * in at most that many lines.
 */
final class SideBySide {

  static final int MAX_LINES = 2000;

  private SideBySide() {}

  static String render(List<String> a, List<String> b, String leftTitle, String rightTitle) {
    StringBuilder out = new StringBuilder("<table class=\"diff\" id=\"diff\"><thead><tr>"
        + "<th class=\"ln\"></th><th>").append(Html.esc(leftTitle))
        .append("</th><th class=\"ln\"></th><th>").append(Html.esc(rightTitle))
        .append("</th></tr></thead><tbody>");
    for (Pair p : pairs(cap(a), cap(b))) {
      String kind = p.left == null ? "add" : p.right == null ? "del"
          : p.left.text.equals(p.right.text) ? "same" : "chg";
      out.append("<tr class=\"").append(kind).append("\">").append(cell(p.left, kind, true))
          .append(cell(p.right, kind, false)).append("</tr>");
    }
    return out.append("</tbody></table>").toString();
  }

  private static String cell(Line l, String kind, boolean left) {
    if (l == null) {
      return "<td class=\"ln\"></td><td class=\"empty\"></td>";
    }
    String mark = kind.equals("same") ? "" : left ? "del" : "ins";
    return "<td class=\"ln\">" + l.no + "</td><td class=\"" + mark + "\"><code>"
        + Html.esc(l.text) + "</code></td>";
  }

  private static List<String> cap(List<String> lines) {
    if (lines.size() <= MAX_LINES) {
      return lines;
    }
    List<String> out = new ArrayList<>(lines.subList(0, MAX_LINES - 1));
    out.add(String.join("\n", lines.subList(MAX_LINES - 1, lines.size())));
    return out;
  }

  private static List<Pair> pairs(List<String> a, List<String> b) {
    int n = a.size();
    int m = b.size();
    int[][] lcs = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1
            : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    List<Pair> out = new ArrayList<>();
    List<Line> dels = new ArrayList<>();
    List<Line> adds = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a.get(i).equals(b.get(j))) {
        flush(out, dels, adds);
        out.add(new Pair(new Line(i + 1, a.get(i)), new Line(j + 1, b.get(j))));
        i++;
        j++;
      } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
        adds.add(new Line(j + 1, b.get(j++)));
      } else {
        dels.add(new Line(i + 1, a.get(i++)));
      }
    }
    flush(out, dels, adds);
    return out;
  }

  /** Pairs removed and added lines of one changed run side by side. */
  private static void flush(List<Pair> out, List<Line> dels, List<Line> adds) {
    for (int k = 0; k < Math.max(dels.size(), adds.size()); k++) {
      out.add(new Pair(k < dels.size() ? dels.get(k) : null, k < adds.size() ? adds.get(k)
          : null));
    }
    dels.clear();
    adds.clear();
  }

  private record Line(int no, String text) {}

  private record Pair(Line left, Line right) {}
}
