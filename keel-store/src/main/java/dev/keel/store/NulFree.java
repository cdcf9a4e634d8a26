package dev.keel.store;

import java.sql.Connection;

/**
 * Keeps U+0000 out of the store. PostgreSQL refuses the NUL character in text (SQLState
 * 22021) and the JSON escape {@code \u0000} in jsonb (22P05), which would fail a whole
 * transaction over one character; SQLite stores both. So that both stores keep the same data,
 * every string bound on either store has its NUL characters replaced by U+FFFD, the
 * replacement character, and JSON values written by the store have their {@code \u0000}
 * escapes replaced by {@code \uFFFD}.
 *
 * <p>The string binds are cleaned in one place: {@link #connection} wraps each pooled
 * connection ({@link NulFreeConnection}, {@link NulFreeStatement}), so that every prepared
 * statement's {@code setString}, {@code setNString} and string {@code setObject}, and the
 * elements of arrays made by {@code createArrayOf}, are cleaned whatever store class binds them.
 * JSON escapes cannot be told from text there (the six characters {@code \u0000} are
 * legitimate in a prompt), so the writers of JSON columns call {@link #json} themselves.
 */
final class NulFree {

  private static final char NUL = '\u0000';
  private static final char REPLACEMENT = '\uFFFD';
  private static final String NUL_ESCAPE = "\\u0000";
  private static final String REPLACEMENT_ESCAPE = "\\uFFFD";

  private NulFree() {
  }

  /** {@code s} with each U+0000 replaced by U+FFFD; null stays null. */
  static String text(String s) {
    return s == null || s.indexOf(NUL) < 0 ? s : s.replace(NUL, REPLACEMENT);
  }

  /**
   * JSON text with each NUL character and each {@code \u0000} escape replaced by U+FFFD (the
   * escape by {@code \uFFFD}, so the text stays valid JSON). A {@code \\u0000}, an escaped
   * backslash followed by text, is left alone.
   */
  static String json(String s) {
    s = text(s);
    if (s == null) {
      return null;
    }
    int at = s.indexOf(NUL_ESCAPE);
    if (at < 0) {
      return s;
    }
    var out = new StringBuilder(s.length());
    int copied = 0;
    for (; at >= 0; at = s.indexOf(NUL_ESCAPE, at + 1)) {
      if (escapes(s, at)) {
        out.append(s, copied, at).append(REPLACEMENT_ESCAPE);
        copied = at + NUL_ESCAPE.length();
      }
    }
    return out.append(s, copied, s.length()).toString();
  }

  // The backslash at {@code at} starts an escape when an even number of backslashes precede it.
  private static boolean escapes(String s, int at) {
    int run = 0;
    for (int i = at - 1; i >= 0 && s.charAt(i) == '\\'; i--) {
      run++;
    }
    return run % 2 == 0;
  }

  /** {@code c} with every string it binds cleaned by {@link #text}. */
  static Connection connection(Connection c) {
    return new NulFreeConnection(c);
  }
}
