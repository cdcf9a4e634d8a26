package dev.keel.store;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A pooled connection whose prepared statements bind strings without NUL characters
 * ({@link NulFreeStatement}) and whose {@code createArrayOf} cleans string elements; every other
 * method is handed to the pool's connection as it is. Plain delegation, not a
 * {@code java.lang.reflect.Proxy}, so each call on the write path costs a virtual call instead
 * of a reflective one. {@code prepareCall} is forwarded unwrapped: the store makes no calls.
 */
final class NulFreeConnection implements Connection {

  private static final int CACHED_STATEMENTS = 64;

  private final Connection target;
  private final Map<String, NulFreeStatement> statements;

  NulFreeConnection(Connection target) {
    this.target = target;
    this.statements = null;
  }

  private NulFreeConnection(Connection target, Map<String, NulFreeStatement> statements) {
    this.target = target;
    this.statements = statements;
  }

  /**
   * A view of a connection its owner keeps open (SQLite's writer connection, see {@link Db}):
   * {@code prepareStatement(sql)} hands out the statement prepared for that text before (the 64
   * most recently used are kept), so the write path parses each statement once rather than on
   * every transaction; closing a statement only resets it, and {@link #close} does nothing
   * ({@link #release} closes the statements and the connection). One thread at a time.
   */
  static NulFreeConnection cached(Connection target) {
    var statements = new LinkedHashMap<String, NulFreeStatement>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, NulFreeStatement> eldest) {
        if (size() <= CACHED_STATEMENTS || eldest.getValue().inUse()) {
          return false;
        }
        try {
          eldest.getValue().release();
        } catch (SQLException e) {
          // closing a statement the driver no longer needs; nothing to recover
        }
        return true;
      }
    };
    return new NulFreeConnection(target, statements);
  }

  /** Closes the cached statements and the connection (the owner's close). */
  void release() throws SQLException {
    if (statements != null) {
      for (NulFreeStatement s : statements.values()) {
        s.release();
      }
      statements.clear();
    }
    target.close();
  }

  @Override
  public PreparedStatement prepareStatement(String a0) throws SQLException {
    if (statements == null) {
      return new NulFreeStatement(target.prepareStatement(a0));
    }
    NulFreeStatement s = statements.get(a0);
    if (s == null) {
      s = new NulFreeStatement(target.prepareStatement(a0), true);
      statements.put(a0, s);
    }
    return s.take() ? s : new NulFreeStatement(target.prepareStatement(a0));
  }

  @Override
  public PreparedStatement prepareStatement(String a0, int a1) throws SQLException {
    return new NulFreeStatement(target.prepareStatement(a0, a1));
  }

  @Override
  public PreparedStatement prepareStatement(String a0, int[] a1) throws SQLException {
    return new NulFreeStatement(target.prepareStatement(a0, a1));
  }

  @Override
  public PreparedStatement prepareStatement(String a0, String[] a1) throws SQLException {
    return new NulFreeStatement(target.prepareStatement(a0, a1));
  }

  @Override
  public PreparedStatement prepareStatement(String a0, int a1, int a2) throws SQLException {
    return new NulFreeStatement(target.prepareStatement(a0, a1, a2));
  }

  @Override
  public PreparedStatement prepareStatement(String a0, int a1, int a2, int a3)
      throws SQLException {
    return new NulFreeStatement(target.prepareStatement(a0, a1, a2, a3));
  }

  @Override
  public Array createArrayOf(String a0, Object[] a1) throws SQLException {
    Object[] copy = a1 == null ? null : a1.clone();
    if (copy != null) {
      for (int i = 0; i < copy.length; i++) {
        if (copy[i] instanceof String s) {
          copy[i] = NulFree.text(s);
        }
      }
    }
    return target.createArrayOf(a0, copy);
  }

  // Everything below forwards unchanged.

  @Override
  public void abort(java.util.concurrent.Executor a0) throws SQLException {
    target.abort(a0);
  }

  @Override
  public void beginRequest() throws SQLException {
    target.beginRequest();
  }

  @Override
  public void clearWarnings() throws SQLException {
    target.clearWarnings();
  }

  @Override
  public void close() throws SQLException {
    if (statements == null) {
      target.close();
    }
  }

  @Override
  public void commit() throws SQLException {
    target.commit();
  }

  @Override
  public Blob createBlob() throws SQLException {
    return target.createBlob();
  }

  @Override
  public Clob createClob() throws SQLException {
    return target.createClob();
  }

  @Override
  public NClob createNClob() throws SQLException {
    return target.createNClob();
  }

  @Override
  public SQLXML createSQLXML() throws SQLException {
    return target.createSQLXML();
  }

  @Override
  public Statement createStatement() throws SQLException {
    return target.createStatement();
  }

  @Override
  public Statement createStatement(int a0, int a1, int a2) throws SQLException {
    return target.createStatement(a0, a1, a2);
  }

  @Override
  public Statement createStatement(int a0, int a1) throws SQLException {
    return target.createStatement(a0, a1);
  }

  @Override
  public Struct createStruct(String a0, Object[] a1) throws SQLException {
    return target.createStruct(a0, a1);
  }

  @Override
  public void endRequest() throws SQLException {
    target.endRequest();
  }

  @Override
  public boolean getAutoCommit() throws SQLException {
    return target.getAutoCommit();
  }

  @Override
  public String getCatalog() throws SQLException {
    return target.getCatalog();
  }

  @Override
  public java.util.Properties getClientInfo() throws SQLException {
    return target.getClientInfo();
  }

  @Override
  public String getClientInfo(String a0) throws SQLException {
    return target.getClientInfo(a0);
  }

  @Override
  public int getHoldability() throws SQLException {
    return target.getHoldability();
  }

  @Override
  public DatabaseMetaData getMetaData() throws SQLException {
    return target.getMetaData();
  }

  @Override
  public int getNetworkTimeout() throws SQLException {
    return target.getNetworkTimeout();
  }

  @Override
  public String getSchema() throws SQLException {
    return target.getSchema();
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    return target.getTransactionIsolation();
  }

  @Override
  public java.util.Map<String, Class<?>> getTypeMap() throws SQLException {
    return target.getTypeMap();
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return target.getWarnings();
  }

  @Override
  public boolean isClosed() throws SQLException {
    return target.isClosed();
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    return target.isReadOnly();
  }

  @Override
  public boolean isValid(int a0) throws SQLException {
    return target.isValid(a0);
  }

  @Override
  public boolean isWrapperFor(Class<?> a0) throws SQLException {
    return target.isWrapperFor(a0);
  }

  @Override
  public String nativeSQL(String a0) throws SQLException {
    return target.nativeSQL(a0);
  }

  @Override
  public CallableStatement prepareCall(String a0, int a1, int a2, int a3) throws SQLException {
    return target.prepareCall(a0, a1, a2, a3);
  }

  @Override
  public CallableStatement prepareCall(String a0, int a1, int a2) throws SQLException {
    return target.prepareCall(a0, a1, a2);
  }

  @Override
  public CallableStatement prepareCall(String a0) throws SQLException {
    return target.prepareCall(a0);
  }

  @Override
  public void releaseSavepoint(Savepoint a0) throws SQLException {
    target.releaseSavepoint(a0);
  }

  @Override
  public void rollback() throws SQLException {
    target.rollback();
  }

  @Override
  public void rollback(Savepoint a0) throws SQLException {
    target.rollback(a0);
  }

  @Override
  public void setAutoCommit(boolean a0) throws SQLException {
    target.setAutoCommit(a0);
  }

  @Override
  public void setCatalog(String a0) throws SQLException {
    target.setCatalog(a0);
  }

  @Override
  public void setClientInfo(String a0, String a1) throws SQLClientInfoException {
    target.setClientInfo(a0, a1);
  }

  @Override
  public void setClientInfo(java.util.Properties a0) throws SQLClientInfoException {
    target.setClientInfo(a0);
  }

  @Override
  public void setHoldability(int a0) throws SQLException {
    target.setHoldability(a0);
  }

  @Override
  public void setNetworkTimeout(java.util.concurrent.Executor a0, int a1) throws SQLException {
    target.setNetworkTimeout(a0, a1);
  }

  @Override
  public void setReadOnly(boolean a0) throws SQLException {
    target.setReadOnly(a0);
  }

  @Override
  public Savepoint setSavepoint() throws SQLException {
    return target.setSavepoint();
  }

  @Override
  public Savepoint setSavepoint(String a0) throws SQLException {
    return target.setSavepoint(a0);
  }

  @Override
  public void setSchema(String a0) throws SQLException {
    target.setSchema(a0);
  }

  @Override
  public boolean setShardingKeyIfValid(ShardingKey a0, int a1) throws SQLException {
    return target.setShardingKeyIfValid(a0, a1);
  }

  @Override
  public boolean setShardingKeyIfValid(ShardingKey a0, ShardingKey a1, int a2) throws SQLException {
    return target.setShardingKeyIfValid(a0, a1, a2);
  }

  @Override
  public void setShardingKey(ShardingKey a0, ShardingKey a1) throws SQLException {
    target.setShardingKey(a0, a1);
  }

  @Override
  public void setShardingKey(ShardingKey a0) throws SQLException {
    target.setShardingKey(a0);
  }

  @Override
  public void setTransactionIsolation(int a0) throws SQLException {
    target.setTransactionIsolation(a0);
  }

  @Override
  public void setTypeMap(java.util.Map<String, Class<?>> a0) throws SQLException {
    target.setTypeMap(a0);
  }

  @Override
  public <T> T unwrap(Class<T> a0) throws SQLException {
    return target.unwrap(a0);
  }
}
