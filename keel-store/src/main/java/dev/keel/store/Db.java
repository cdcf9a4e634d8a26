package dev.keel.store;

import com.zaxxer.hikari.HikariDataSource;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pool plus the rules for using it. SQLite allows one writer at a time, so writes in this
 * process take a lock instead of spinning on SQLITE_BUSY and all go through one connection kept
 * open ({@link SqliteWriteConnection}); reads never take it (WAL lets them run beside the
 * writer). PostgreSQL needs no lock. Every connection handed out binds strings
 * without NUL characters ({@link NulFree}), which PostgreSQL refuses.
 */
final class Db {

  /** Runs of one write transaction PostgreSQL may abort as a deadlock victim. */
  private static final int MAX_ATTEMPTS = 4;

  private final HikariDataSource pool;
  private final Dialect dialect;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final ReentrantLock rollupRefreshLock = new ReentrantLock();
  // SQLite: the connection every write of this process goes through; null on PostgreSQL.
  private final SqliteWriteConnection sqliteWriter;

  Db(HikariDataSource pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
    try {
      this.sqliteWriter = dialect == Dialect.SQLITE ? SqliteWriteConnection.open(pool) : null;
    } catch (SQLException e) {
      pool.close();
      throw failure("open", e);
    }
  }

  Dialect dialect() {
    return dialect;
  }

  /**
   * SQLite: transactions committed through the write connection so far (0 on PostgreSQL); a
   * change between two reads means some write committed in between.
   */
  long sqliteCommits() {
    return sqliteWriter == null ? 0 : sqliteWriter.commits();
  }

  /** Held by a SQLite rollup refresh from reading an hour's marks to writing its rows. */
  ReentrantLock rollupRefreshLock() {
    return rollupRefreshLock;
  }

  <T> T read(SqlWork<T> work) {
    try (Connection c = NulFree.connection(pool.getConnection())) {
      return work.run(c);
    } catch (SQLException e) {
      throw failure("read", e);
    }
  }

  /**
   * Runs {@code work} in one transaction, rolled back when it throws. A transaction PostgreSQL
   * chose as a deadlock victim or failed for serialization is run again from the start, a few
   * times with a short random pause: two instances merging overlapping batches can meet rows
   * the other committed after they read, which no lock order prevents, and re-running the
   * whole transaction reads and merges them afresh.
   */
  <T> T write(SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return writeOnce(work);
      } catch (KeelException e) {
        if (attempt >= MAX_ATTEMPTS || !(e.getCause() instanceof SQLException s)
            || !isRetryable(s)) {
          throw e;
        }
        pause(attempt);
      }
    }
  }

  /** Deadlock victim (40P01) or serialization failure (40001): nothing was written. */
  static boolean isRetryable(SQLException e) {
    String state = e.getSQLState();
    return "40P01".equals(state) || "40001".equals(state);
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(5, 20L << attempt));
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private <T> T writeOnce(SqlWork<T> work) {
    if (sqliteWriter == null) {
      try (Connection c = NulFree.connection(pool.getConnection())) {
        return transaction(c, work);
      } catch (SQLException e) {
        throw failure("write", e);
      }
    }
    writeLock.lock();
    try {
      T result = transaction(sqliteWriter.connection(), work);
      sqliteWriter.committed();
      return result;
    } catch (SQLException e) {
      throw failure("write", e);
    } finally {
      writeLock.unlock();
    }
  }

  private static <T> T transaction(Connection c, SqlWork<T> work) throws SQLException {
    c.setAutoCommit(false);
    try {
      T result = work.run(c);
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    }
  }

  void close() {
    if (sqliteWriter != null) {
      writeLock.lock();
      try {
        sqliteWriter.close();
      } finally {
        writeLock.unlock();
      }
    }
    pool.close();
    if (sqliteWriter != null) {
      sqliteWriter.releaseFile();
    }
  }

  // The message names the SQL state only: driver messages may quote row values.
  private static KeelException failure(String what, SQLException e) {
    return new KeelException(ErrorCode.INTERNAL,
        "store " + what + " failed: SQLState " + e.getSQLState() + ", code " + e.getErrorCode(),
        null, e);
  }

  /** Work on a connection. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }
}
