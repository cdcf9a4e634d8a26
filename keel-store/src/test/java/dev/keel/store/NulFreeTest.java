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

  @Test
  void cachedConnection_handsOutOneStatementPerText_resetOnClose() throws Exception {
    NulFreeConnection c = NulFreeConnection.cached(
        DriverManager.getConnection("jdbc:sqlite::memory:"));
    try {
      c.createStatement().execute("CREATE TABLE t (n INTEGER, v)");
      String sql = "INSERT INTO t VALUES (?, ?)";
      PreparedStatement first = c.prepareStatement(sql);
      first.setInt(1, 1);
      first.setString(2, "left in the batch");
      first.addBatch();
      first.close(); // never executed: the batch must not reach the next user
      PreparedStatement again = c.prepareStatement(sql);
      assertThat(again).isSameAs(first);
      again.setInt(1, 2);
      again.setString(2, "x" + NUL);
      again.addBatch();
      assertThat(again.executeBatch()).hasSize(1);
      again.close();
      assertThat(values(c)).containsExactly("x\uFFFD");
      c.close(); // the owner's connection stays open
      assertThat(c.isClosed()).isFalse();
    } finally {
      c.release();
    }
    assertThat(c.isClosed()).isTrue();
  }

  @Test
  void cachedConnection_sameTextWhileTheFirstIsOut_getsAStatementOfItsOwn() throws Exception {
    NulFreeConnection c = NulFreeConnection.cached(
        DriverManager.getConnection("jdbc:sqlite::memory:"));
    try {
      c.createStatement().execute("CREATE TABLE t (n INTEGER, v)");
      c.createStatement().execute("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
      String sql = "SELECT v FROM t WHERE n = ?";
      try (PreparedStatement outer = c.prepareStatement(sql)) {
        outer.setInt(1, 1);
        try (ResultSet a = outer.executeQuery();
            PreparedStatement inner = c.prepareStatement(sql)) {
          assertThat(inner).isNotSameAs(outer);
          inner.setInt(1, 2);
          try (ResultSet b = inner.executeQuery()) {
            assertThat(a.next()).isTrue();
            assertThat(b.next()).isTrue();
            assertThat(a.getString(1)).isEqualTo("a");
            assertThat(b.getString(1)).isEqualTo("b");
          }
        }
      }
    } finally {
      c.release();
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
