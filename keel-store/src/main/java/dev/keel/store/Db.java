package dev.keel.store;

import com.zaxxer.hikari.HikariDataSource;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pool plus the rules for using it. SQLite allows one writer at a time, so writes in this
 * process take a lock instead of spinning on SQLITE_BUSY; reads never take it (WAL lets them
 * run beside the writer). PostgreSQL needs no lock. Every connection handed out binds strings
 * without NUL characters ({@link NulFree}), which PostgreSQL refuses.
 */
final class Db {

  private final HikariDataSource pool;
  private final Dialect dialect;
  private final ReentrantLock writeLock = new ReentrantLock();

  Db(HikariDataSource pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  Dialect dialect() {
    return dialect;
  }

  <T> T read(SqlWork<T> work) {
    try (Connection c = NulFree.connection(pool.getConnection())) {
      return work.run(c);
    } catch (SQLException e) {
      throw failure("read", e);
    }
  }

  /** Runs {@code work} in one transaction, rolled back when it throws. */
  <T> T write(SqlWork<T> work) {
    boolean locked = dialect == Dialect.SQLITE;
    if (locked) {
      writeLock.lock();
    }
    try (Connection c = NulFree.connection(pool.getConnection())) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw failure("write", e);
    } finally {
      if (locked) {
        writeLock.unlock();
      }
    }
  }

  void close() {
    pool.close();
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
