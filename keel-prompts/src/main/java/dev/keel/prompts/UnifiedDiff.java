package dev.keel.prompts;

import java.util.ArrayList;
import java.util.List;

/**
 * A line-based unified diff, from a longest-common-subsequence table. Prompts are short, so
 * the quadratic table is cheap; inputs whose table would pass {@link #MAX_CELLS} are refused
 * rather than allowed to take the heap.
 */
final class UnifiedDiff {

  static final long MAX_CELLS = 16_000_000L;
  private static final int CONTEXT = 3;

  private UnifiedDiff() {
  }

  /** The diff of {@code a} and {@code b}, with file headers; empty when they are equal. */
  static String of(String aName, List<String> a, String bName, List<String> b) {
    if (a.equals(b)) {
      return "";
    }
    if ((long) (a.size() + 1) * (b.size() + 1) > MAX_CELLS) {
      throw PromptException.invalid("versions are too long to diff: " + a.size() + " and "
          + b.size() + " lines", null);
    }
    List<Op> ops = script(a, b);
    var out = new StringBuilder();
    out.append("--- ").append(aName).append('\n').append("+++ ").append(bName).append('\n');
    int i = 0;
    while (i < ops.size()) {
      if (ops.get(i).kind == ' ') {
        i++;
        continue;
      }
      int start = Math.max(0, i - CONTEXT);
      int end = hunkEnd(ops, i);
      appendHunk(out, ops, start, end);
      i = end;
    }
    return out.toString();
  }

  private static int hunkEnd(List<Op> ops, int firstChange) {
    int end = firstChange;
    int lastChange = firstChange;
    while (end < ops.size() && end - lastChange <= 2 * CONTEXT) {
      if (ops.get(end).kind != ' ') {
        lastChange = end;
      }
      end++;
    }
    return Math.min(ops.size(), lastChange + CONTEXT + 1);
  }

  private static void appendHunk(StringBuilder out, List<Op> ops, int start, int end) {
    Op first = ops.get(start);
    int aLen = 0;
    int bLen = 0;
    for (int k = start; k < end; k++) {
      aLen += ops.get(k).kind != '+' ? 1 : 0;
      bLen += ops.get(k).kind != '-' ? 1 : 0;
    }
    out.append("@@ -").append(range(first.aLine, aLen)).append(" +")
        .append(range(first.bLine, bLen)).append(" @@\n");
    for (int k = start; k < end; k++) {
      out.append(ops.get(k).kind).append(ops.get(k).text).append('\n');
    }
  }

  // A hunk with no lines on a side names the line before it, as diff -u does.
  private static String range(int line, int len) {
    return (len == 0 ? line - 1 : line) + "," + len;
  }

  private static List<Op> script(List<String> a, List<String> b) {
    int n = a.size();
    int m = b.size();
    int[][] lcs = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1
            : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    var ops = new ArrayList<Op>();
    int i = 0;
    int j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a.get(i).equals(b.get(j))) {
        ops.add(new Op(' ', a.get(i), ++i, ++j));
      } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        ops.add(new Op('-', a.get(i), ++i, j + 1));
      } else {
        ops.add(new Op('+', b.get(j), i + 1, ++j));
      }
    }
    return ops;
  }

  /** One line of the script and where it sits in each side (1-based). */
  private record Op(char kind, String text, int aLine, int bLine) {}
}
