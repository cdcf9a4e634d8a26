package dev.keel.store;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQLite's one write connection, open for the life of the store, and the thread that
 * checkpoints the write-ahead log beside it.
 *
 * <p>SQLite takes one writer at a time, so every write of this process goes through this
 * connection under {@link Db}'s lock. Keeping it open lets it keep its prepared statements
 * ({@link NulFreeConnection#cached}) and a page cache big enough for the hot pages of the trace
 * tables (64 MiB, against SQLite's 2 MiB default, so a transaction's dirty pages are not
 * spilled to the log before it commits).
 *
 * <p>Checkpoints (copying committed pages from the log into the database file, then syncing
 * it) are taken off the writer: its automatic checkpoint is turned off and a second connection
 * runs a PASSIVE checkpoint every 100 ms after new commits. A PASSIVE checkpoint never blocks
 * the writer or readers; it copies what no open read still needs, as the automatic one does,
 * and the log is reused from its start once everything in it was copied. Under ingestion load
 * the commit then costs the appends to the log only, and the copy runs on the other core.
 *
 * <p>SQLite starts the log over only when a write transaction begins with all of it copied,
 * which a checkpoint running beside a busy writer never leaves behind. So once the log is over
 * 32,768 pages (128 MiB), the checkpoint thread copies without pausing until what is left is
 * under 512 pages, and then the writer checkpoints too, right after its next commit: it copies
 * that remainder and syncs the database file, and its next transaction writes the log from the
 * start. The checkpoint thread syncs the database file after each of its copies (SQLite itself
 * does so only after a copy that finished the log), so that the writer's sync finds little to
 * write back. Measured on 2 cores under ingestion load, the log then starts over about once a
 * second at a cost to the writer of about 10 ms.
 */
final class SqliteWriteConnection implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SqliteWriteConnection.class);
  private static final long CHECKPOINT_EVERY_MS = 100;
  // A log this many pages long (1 GiB at 4 KiB pages) is named in a warning: a read held open
  // for a long time is keeping the checkpoint from reusing it.
  private static final long LONG_LOG_PAGES = 262_144;
  private static final long RESTART_LOG_PAGES = 32_768;
  private static final long CATCH_UP_PAGES = 512;

  private final long restartLogPages;
  private final FileChannel file;
  private final NulFreeConnection connection;
  private final Connection checkpoints;
  private final Thread thread;
  private final AtomicLong commits = new AtomicLong();
  private volatile boolean closed;
  private volatile boolean restart;
  private boolean warned;

  private SqliteWriteConnection(Connection writer, Connection checkpoints,
      long restartLogPages) {
    this.restartLogPages = restartLogPages;
    this.file = mainFile(checkpoints);
    this.connection = NulFreeConnection.cached(writer);
    this.checkpoints = checkpoints;
    this.thread = new Thread(this::checkpointLoop, "keel-sqlite-checkpoint");
    thread.setDaemon(true);
    thread.start();
  }

  /** Opens the write and checkpoint connections with the pool's URL and driver settings. */
  static SqliteWriteConnection open(HikariDataSource pool) throws SQLException {
    return open(pool, RESTART_LOG_PAGES);
  }

  /** As {@link #open(HikariDataSource)}, starting the log over past {@code restartLogPages}. */
  static SqliteWriteConnection open(HikariDataSource pool, long restartLogPages)
      throws SQLException {
    var props = new Properties();
    props.putAll(pool.getDataSourceProperties());
    Connection writer = DriverManager.getConnection(pool.getJdbcUrl(), props);
    try (Statement s = writer.createStatement()) {
      s.execute("PRAGMA cache_size = -65536");
      s.execute("PRAGMA wal_autocheckpoint = 0");
      s.execute("PRAGMA temp_store = MEMORY");
      return new SqliteWriteConnection(writer, DriverManager.getConnection(pool.getJdbcUrl(),
          props), restartLogPages);
    } catch (SQLException | RuntimeException e) {
      writer.close();
      throw e;
    }
  }

  // The database file opened for syncs, or null for an in-memory or temporary database.
  private static FileChannel mainFile(Connection c) {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA database_list")) {
      while (rs.next()) {
        if ("main".equals(rs.getString(2))) {
          String f = rs.getString(3);
          return f == null || f.isEmpty() ? null
              : FileChannel.open(Path.of(f), StandardOpenOption.READ);
        }
      }
    } catch (SQLException | IOException e) {
      // no file: the extra syncs are skipped
    }
    return null;
  }

  /** The write connection; its close does nothing. Use under {@link Db}'s write lock. */
  Connection connection() {
    return connection;
  }

  /** Transactions committed so far. */
  long commits() {
    return commits.get();
  }

  /**
   * Tells the checkpoint thread that a transaction committed; checkpoints on the write
   * connection when the log should start over. Call under the write lock, after the commit: a
   * checkpoint that fails is logged, never reported as a failed write.
   */
  void committed() {
    commits.incrementAndGet();
    if (restart) {
      restart = false;
      try {
        checkpoint(connection);
      } catch (SQLException e) {
        LOG.warn("SQLite checkpoint on the write connection failed: SQLState {}, code {}",
            e.getSQLState(), e.getErrorCode());
      }
    }
  }

  private void checkpointLoop() {
    long seen = 0;
    boolean catchingUp = false;
    while (!closed) {
      if (!catchingUp) {
        try {
          TimeUnit.MILLISECONDS.sleep(CHECKPOINT_EVERY_MS);
        } catch (InterruptedException e) {
          return;
        }
      }
      long n = commits.get();
      if (n == seen && !catchingUp) {
        continue;
      }
      seen = n;
      try {
        long[] log = checkpoint(checkpoints);
        flushDatabaseFile();
        boolean longLog = log[0] >= restartLogPages;
        // The writer's own checkpoint copies what is still left: let it in only once that is
        // little, else it would hold the write lock for the copy (70 ms for 9,000 pages).
        restart = longLog && log[0] - log[1] <= CATCH_UP_PAGES;
        catchingUp = longLog && !restart;
      } catch (SQLException e) {
        catchingUp = false;
        if (!closed) {
          LOG.warn("SQLite checkpoint failed: SQLState {}, code {}", e.getSQLState(),
              e.getErrorCode());
        }
      }
    }
  }

  // SQLite syncs the database file only after a checkpoint that copied the whole log, which
  // under load is the writer's: it then wrote back every page the background copies had left
  // in the OS cache (50 ms for 128 MiB, under the write lock). Syncing the file here after
  // each copy leaves that last sync little to do. The channel stays open until the store has
  // closed every connection (releaseFile): closing any descriptor of the file drops all of this
  // process's POSIX locks on it, SQLite's included, and another process opening the database
  // would then take itself for the last user and delete the live log.
  private void flushDatabaseFile() {
    if (file == null) {
      return;
    }
    try {
      file.force(false);
    } catch (IOException e) {
      // SQLite still syncs the file itself; only the writer's last checkpoint gets slower
    }
  }

  /** Closes the database file's channel; only once every connection to it is closed. */
  void releaseFile() {
    if (file == null) {
      return;
    }
    try {
      file.close();
    } catch (IOException e) {
      LOG.warn("closing the SQLite database file failed: {}", e.toString());
    }
  }

  // Returns the log's length and how much of it is copied, in pages.
  private long[] checkpoint(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
      long logPages = rs.next() ? rs.getLong(2) : 0;
      long copied = rs.getRow() > 0 ? rs.getLong(3) : 0;
      if (logPages >= LONG_LOG_PAGES && !warned) {
        warned = true;
        LOG.warn("SQLite write-ahead log at {} pages: copying it into the database is behind,"
            + " or a read held open keeps it from starting over",
            logPages);
      }
      return new long[] {logPages, copied};
    }
  }

  /** Stops the checkpoint thread and closes both connections. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      checkpoints.close();
    } catch (SQLException e) {
      LOG.warn("closing the SQLite checkpoint connection failed: {}", e.getSQLState());
    }
    try {
      connection.release();
    } catch (SQLException e) {
      LOG.warn("closing the SQLite write connection failed: {}", e.getSQLState());
    }
  }
}
