package dev.keel.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;

/**
 * What {@link NulFree}'s connection wrapper costs per bound value; a main, not a test. Binds a
 * string and a number to an in-memory SQLite statement, directly and through the wrapper,
 * without executing, five rounds each (the first rounds warm the JIT).
 */
public final class NulFreeBench {

  private NulFreeBench() {
  }

  public static void main(String[] args) throws Exception {
    long n = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000;
    try (Connection raw = DriverManager.getConnection("jdbc:sqlite::memory:")) {
      raw.createStatement().execute("CREATE TABLE t (a TEXT, b INTEGER)");
      Connection wrapped = NulFree.connection(raw);
      String value = "x".repeat(800);
      for (int round = 0; round < 5; round++) {
        for (Connection c : new Connection[] {raw, wrapped}) {
          long start = System.nanoTime();
          try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
            for (long i = 0; i < n; i++) {
              ps.setString(1, value);
              ps.setLong(2, i);
            }
          }
          System.out.printf("round %d %s: %.1f ns per bind%n", round,
              c == raw ? "direct " : "wrapped", (System.nanoTime() - start) / (2.0 * n));
        }
      }
    }
  }
}
