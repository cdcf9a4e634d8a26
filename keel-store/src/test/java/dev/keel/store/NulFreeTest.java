package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The connection wrapper on a real in-memory SQLite database. */
class NulFreeTest {

  private static final String NUL = "\u0000";

  @Test
  void everyStringBind_storesTheReplacementCharacterInsteadOfNul() throws Exception {
    try (Connection c = NulFree.connection(DriverManager.getConnection("jdbc:sqlite::memory:"))) {
      c.createStatement().execute("CREATE TABLE t (n INTEGER, v)");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
        insert(ps, 1, () -> ps.setString(2, "a" + NUL + "b"));
        insert(ps, 2, () -> ps.setString(2, NUL)); // SQLite has no setNString
        insert(ps, 3, () -> ps.setObject(2, "c" + NUL));
        insert(ps, 4, () -> ps.setObject(2, "d" + NUL, Types.VARCHAR));
        insert(ps, 5, () -> ps.setObject(2, "e" + NUL, Types.VARCHAR, 0)); // no SQLType forms
        insert(ps, 6, () -> ps.setObject(2, 42L));
        insert(ps, 7, () -> ps.setString(2, null));
      }
      assertThat(values(c)).containsExactly("a\uFFFDb", "\uFFFD", "c\uFFFD", "d\uFFFD",
          "e\uFFFD", "42", null);
    }
  }

  @Test
  void statementsOfEveryPrepareStatementForm_areCleaned() throws Exception {
    try (Connection c = NulFree.connection(DriverManager.getConnection("jdbc:sqlite::memory:"))) {
      c.createStatement().execute("CREATE TABLE t (n INTEGER, v)");
      String sql = "INSERT INTO t VALUES (?, ?)";
      List<PreparedStatement> forms = List.of(c.prepareStatement(sql),
          c.prepareStatement(sql, java.sql.Statement.NO_GENERATED_KEYS),
          c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY),
          c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY,
              ResultSet.CLOSE_CURSORS_AT_COMMIT));
      int n = 0;
      for (PreparedStatement ps : forms) {
        try (ps) {
          ps.setInt(1, ++n);
          ps.setString(2, NUL);
          ps.executeUpdate();
        }
      }
      assertThat(values(c)).containsExactly("\uFFFD", "\uFFFD", "\uFFFD", "\uFFFD");
    }
  }

  private static void insert(PreparedStatement ps, int n, Bind bind) throws Exception {
    ps.setInt(1, n);
    bind.run();
    ps.executeUpdate();
  }

  private static List<String> values(Connection c) throws Exception {
    var out = new ArrayList<String>();
    try (ResultSet rs = c.createStatement().executeQuery("SELECT v FROM t ORDER BY n")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @FunctionalInterface
  private interface Bind {
    void run() throws Exception;
  }
}
