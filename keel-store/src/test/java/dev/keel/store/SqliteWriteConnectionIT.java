package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQLite's write connection and its background checkpoints, on a real database file. */
class SqliteWriteConnectionIT {

  private static final int TRANSACTIONS = 2_000;
  private static final int ROW_BYTES = 8_192;

  @TempDir
  Path dir;

  @Test
  void steadyWrites_logStartsOverInsteadOfGrowing_andEveryRowReachesTheDatabase()
      throws Exception {
    Path file = dir.resolve("wal.db");
    var config = new HikariConfig();
    config.setJdbcUrl("jdbc:sqlite:" + file);
    config.addDataSourceProperty("journal_mode", "WAL");
    config.addDataSourceProperty("synchronous", "NORMAL");
    config.setMaximumPoolSize(2);
    // 16 MB go through the log over 2 s or more; it should start over each time it passes 64
    // pages (256 KiB), so its file never holds more than a few ticks' worth.
    try (var pool = new HikariDataSource(config);
        var writer = SqliteWriteConnection.open(pool, 64)) {
      Connection c = writer.connection();
      c.setAutoCommit(false);
      c.createStatement().execute("CREATE TABLE t (n INTEGER PRIMARY KEY, v BLOB)");
      c.commit();
      for (int i = 0; i < TRANSACTIONS; i++) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
          ps.setInt(1, i);
          ps.setBytes(2, new byte[ROW_BYTES]);
          ps.executeUpdate();
        }
        c.commit();
        writer.committed();
        Thread.sleep(1); // paced, so that the 100 ms checkpoint ticks see the log grow
      }
      long wal = Files.size(dir.resolve("wal.db-wal"));
      assertThat(wal).as("log high-water mark").isLessThan(TRANSACTIONS * ROW_BYTES / 2L);
      try (Connection read = pool.getConnection(); Statement s = read.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(length(v)) FROM t")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(TRANSACTIONS);
        assertThat(rs.getLong(2)).isEqualTo((long) TRANSACTIONS * ROW_BYTES);
      }
    }
    // Closed: the pages were copied into the database file itself.
    assertThat(Files.size(file)).isGreaterThan((long) TRANSACTIONS * ROW_BYTES);
  }

  @Test
  void closeOfTheView_leavesTheConnectionOpen() throws Exception {
    var config = new HikariConfig();
    config.setJdbcUrl("jdbc:sqlite:" + dir.resolve("open.db"));
    config.addDataSourceProperty("journal_mode", "WAL");
    try (var pool = new HikariDataSource(config);
        var writer = SqliteWriteConnection.open(pool)) {
      writer.connection().close();
      assertThat(writer.connection().isClosed()).isFalse();
      try (Statement s = writer.connection().createStatement();
          ResultSet rs = s.executeQuery("PRAGMA wal_autocheckpoint")) {
        rs.next();
        assertThat(rs.getInt(1)).as("the writer leaves checkpoints to its thread").isZero();
      }
    }
  }
}
