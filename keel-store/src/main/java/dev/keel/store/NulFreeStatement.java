package dev.keel.store;

import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;

/**
 * A prepared statement that binds strings without NUL characters ({@link NulFree#text}): its
 * {@code setString}, {@code setNString} and string {@code setObject} clean the value, and every
 * other method is handed to the driver's statement as it is. Plain delegation, not a
 * {@code java.lang.reflect.Proxy}, so a bind costs a virtual call instead of a reflective one
 * with its argument array (see docs/benchmarks.md, Gateway).
 */
final class NulFreeStatement implements PreparedStatement {

  private final PreparedStatement target;
  private final boolean kept;
  private boolean inUse;

  NulFreeStatement(PreparedStatement target) {
    this(target, false);
  }

  /**
   * A statement {@code kept} by a statement cache ({@link NulFreeConnection#cached}): its
   * {@link #close} clears its batch and parameters for the next user and leaves it open.
   */
  NulFreeStatement(PreparedStatement target, boolean kept) {
    this.target = target;
    this.kept = kept;
  }

  /**
   * Hands a kept statement out: false when it is already out (a caller preparing the same text
   * while using it gets a statement of its own).
   */
  boolean take() {
    if (inUse) {
      return false;
    }
    inUse = true;
    return true;
  }

  /** Whether a kept statement is handed out now. */
  boolean inUse() {
    return inUse;
  }

  /** Closes the driver's statement, kept or not. */
  void release() throws SQLException {
    target.close();
  }

  @Override
  public void setString(int a0, String a1) throws SQLException {
    target.setString(a0, NulFree.text(a1));
  }

  @Override
  public void setNString(int a0, String a1) throws SQLException {
    target.setNString(a0, NulFree.text(a1));
  }

  @Override
  public void setObject(int a0, Object a1) throws SQLException {
    target.setObject(a0, clean(a1));
  }

  @Override
  public void setObject(int a0, Object a1, int a2) throws SQLException {
    target.setObject(a0, clean(a1), a2);
  }

  @Override
  public void setObject(int a0, Object a1, int a2, int a3) throws SQLException {
    target.setObject(a0, clean(a1), a2, a3);
  }

  @Override
  public void setObject(int a0, Object a1, SQLType a2) throws SQLException {
    target.setObject(a0, clean(a1), a2);
  }

  @Override
  public void setObject(int a0, Object a1, SQLType a2, int a3) throws SQLException {
    target.setObject(a0, clean(a1), a2, a3);
  }

  private static Object clean(Object value) {
    return value instanceof String s ? NulFree.text(s) : value;
  }

  // Everything below forwards unchanged.

  @Override
  public void addBatch() throws SQLException {
    target.addBatch();
  }

  @Override
  public void addBatch(String a0) throws SQLException {
    target.addBatch(a0);
  }

  @Override
  public void cancel() throws SQLException {
    target.cancel();
  }

  @Override
  public void clearBatch() throws SQLException {
    target.clearBatch();
  }

  @Override
  public void clearParameters() throws SQLException {
    target.clearParameters();
  }

  @Override
  public void clearWarnings() throws SQLException {
    target.clearWarnings();
  }

  @Override
  public void closeOnCompletion() throws SQLException {
    target.closeOnCompletion();
  }

  @Override
  public void close() throws SQLException {
    if (kept) {
      inUse = false;
      target.clearBatch();
      target.clearParameters();
    } else {
      target.close();
    }
  }

  @Override
  public String enquoteIdentifier(String a0, boolean a1) throws SQLException {
    return target.enquoteIdentifier(a0, a1);
  }

  @Override
  public String enquoteLiteral(String a0) throws SQLException {
    return target.enquoteLiteral(a0);
  }

  @Override
  public String enquoteNCharLiteral(String a0) throws SQLException {
    return target.enquoteNCharLiteral(a0);
  }

  @Override
  public int[] executeBatch() throws SQLException {
    return target.executeBatch();
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    return target.executeLargeBatch();
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    return target.executeLargeUpdate();
  }

  @Override
  public long executeLargeUpdate(String a0, int[] a1) throws SQLException {
    return target.executeLargeUpdate(a0, a1);
  }

  @Override
  public long executeLargeUpdate(String a0, String[] a1) throws SQLException {
    return target.executeLargeUpdate(a0, a1);
  }

  @Override
  public long executeLargeUpdate(String a0, int a1) throws SQLException {
    return target.executeLargeUpdate(a0, a1);
  }

  @Override
  public long executeLargeUpdate(String a0) throws SQLException {
    return target.executeLargeUpdate(a0);
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    return target.executeQuery();
  }

  @Override
  public ResultSet executeQuery(String a0) throws SQLException {
    return target.executeQuery(a0);
  }

  @Override
  public int executeUpdate() throws SQLException {
    return target.executeUpdate();
  }

  @Override
  public int executeUpdate(String a0, int[] a1) throws SQLException {
    return target.executeUpdate(a0, a1);
  }

  @Override
  public int executeUpdate(String a0, String[] a1) throws SQLException {
    return target.executeUpdate(a0, a1);
  }

  @Override
  public int executeUpdate(String a0, int a1) throws SQLException {
    return target.executeUpdate(a0, a1);
  }

  @Override
  public int executeUpdate(String a0) throws SQLException {
    return target.executeUpdate(a0);
  }

  @Override
  public boolean execute() throws SQLException {
    return target.execute();
  }

  @Override
  public boolean execute(String a0, int[] a1) throws SQLException {
    return target.execute(a0, a1);
  }

  @Override
  public boolean execute(String a0, String[] a1) throws SQLException {
    return target.execute(a0, a1);
  }

  @Override
  public boolean execute(String a0, int a1) throws SQLException {
    return target.execute(a0, a1);
  }

  @Override
  public boolean execute(String a0) throws SQLException {
    return target.execute(a0);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return target.getConnection();
  }

  @Override
  public int getFetchDirection() throws SQLException {
    return target.getFetchDirection();
  }

  @Override
  public int getFetchSize() throws SQLException {
    return target.getFetchSize();
  }

  @Override
  public ResultSet getGeneratedKeys() throws SQLException {
    return target.getGeneratedKeys();
  }

  @Override
  public long getLargeMaxRows() throws SQLException {
    return target.getLargeMaxRows();
  }

  @Override
  public long getLargeUpdateCount() throws SQLException {
    return target.getLargeUpdateCount();
  }

  @Override
  public int getMaxFieldSize() throws SQLException {
    return target.getMaxFieldSize();
  }

  @Override
  public int getMaxRows() throws SQLException {
    return target.getMaxRows();
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    return target.getMetaData();
  }

  @Override
  public boolean getMoreResults() throws SQLException {
    return target.getMoreResults();
  }

  @Override
  public boolean getMoreResults(int a0) throws SQLException {
    return target.getMoreResults(a0);
  }

  @Override
  public ParameterMetaData getParameterMetaData() throws SQLException {
    return target.getParameterMetaData();
  }

  @Override
  public int getQueryTimeout() throws SQLException {
    return target.getQueryTimeout();
  }

  @Override
  public int getResultSetConcurrency() throws SQLException {
    return target.getResultSetConcurrency();
  }

  @Override
  public int getResultSetHoldability() throws SQLException {
    return target.getResultSetHoldability();
  }

  @Override
  public int getResultSetType() throws SQLException {
    return target.getResultSetType();
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    return target.getResultSet();
  }

  @Override
  public int getUpdateCount() throws SQLException {
    return target.getUpdateCount();
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return target.getWarnings();
  }

  @Override
  public boolean isCloseOnCompletion() throws SQLException {
    return target.isCloseOnCompletion();
  }

  @Override
  public boolean isClosed() throws SQLException {
    return target.isClosed();
  }

  @Override
  public boolean isPoolable() throws SQLException {
    return target.isPoolable();
  }

  @Override
  public boolean isSimpleIdentifier(String a0) throws SQLException {
    return target.isSimpleIdentifier(a0);
  }

  @Override
  public boolean isWrapperFor(Class<?> a0) throws SQLException {
    return target.isWrapperFor(a0);
  }

  @Override
  public void setArray(int a0, Array a1) throws SQLException {
    target.setArray(a0, a1);
  }

  @Override
  public void setAsciiStream(int a0, java.io.InputStream a1, int a2) throws SQLException {
    target.setAsciiStream(a0, a1, a2);
  }

  @Override
  public void setAsciiStream(int a0, java.io.InputStream a1, long a2) throws SQLException {
    target.setAsciiStream(a0, a1, a2);
  }

  @Override
  public void setAsciiStream(int a0, java.io.InputStream a1) throws SQLException {
    target.setAsciiStream(a0, a1);
  }

  @Override
  public void setBigDecimal(int a0, java.math.BigDecimal a1) throws SQLException {
    target.setBigDecimal(a0, a1);
  }

  @Override
  public void setBinaryStream(int a0, java.io.InputStream a1, int a2) throws SQLException {
    target.setBinaryStream(a0, a1, a2);
  }

  @Override
  public void setBinaryStream(int a0, java.io.InputStream a1, long a2) throws SQLException {
    target.setBinaryStream(a0, a1, a2);
  }

  @Override
  public void setBinaryStream(int a0, java.io.InputStream a1) throws SQLException {
    target.setBinaryStream(a0, a1);
  }

  @Override
  public void setBlob(int a0, java.io.InputStream a1, long a2) throws SQLException {
    target.setBlob(a0, a1, a2);
  }

  @Override
  public void setBlob(int a0, java.io.InputStream a1) throws SQLException {
    target.setBlob(a0, a1);
  }

  @Override
  public void setBlob(int a0, Blob a1) throws SQLException {
    target.setBlob(a0, a1);
  }

  @Override
  public void setBoolean(int a0, boolean a1) throws SQLException {
    target.setBoolean(a0, a1);
  }

  @Override
  public void setByte(int a0, byte a1) throws SQLException {
    target.setByte(a0, a1);
  }

  @Override
  public void setBytes(int a0, byte[] a1) throws SQLException {
    target.setBytes(a0, a1);
  }

  @Override
  public void setCharacterStream(int a0, java.io.Reader a1, int a2) throws SQLException {
    target.setCharacterStream(a0, a1, a2);
  }

  @Override
  public void setCharacterStream(int a0, java.io.Reader a1, long a2) throws SQLException {
    target.setCharacterStream(a0, a1, a2);
  }

  @Override
  public void setCharacterStream(int a0, java.io.Reader a1) throws SQLException {
    target.setCharacterStream(a0, a1);
  }

  @Override
  public void setClob(int a0, java.io.Reader a1, long a2) throws SQLException {
    target.setClob(a0, a1, a2);
  }

  @Override
  public void setClob(int a0, java.io.Reader a1) throws SQLException {
    target.setClob(a0, a1);
  }

  @Override
  public void setClob(int a0, Clob a1) throws SQLException {
    target.setClob(a0, a1);
  }

  @Override
  public void setCursorName(String a0) throws SQLException {
    target.setCursorName(a0);
  }

  @Override
  public void setDate(int a0, Date a1, java.util.Calendar a2) throws SQLException {
    target.setDate(a0, a1, a2);
  }

  @Override
  public void setDate(int a0, Date a1) throws SQLException {
    target.setDate(a0, a1);
  }

  @Override
  public void setDouble(int a0, double a1) throws SQLException {
    target.setDouble(a0, a1);
  }

  @Override
  public void setEscapeProcessing(boolean a0) throws SQLException {
    target.setEscapeProcessing(a0);
  }

  @Override
  public void setFetchDirection(int a0) throws SQLException {
    target.setFetchDirection(a0);
  }

  @Override
  public void setFetchSize(int a0) throws SQLException {
    target.setFetchSize(a0);
  }

  @Override
  public void setFloat(int a0, float a1) throws SQLException {
    target.setFloat(a0, a1);
  }

  @Override
  public void setInt(int a0, int a1) throws SQLException {
    target.setInt(a0, a1);
  }

  @Override
  public void setLargeMaxRows(long a0) throws SQLException {
    target.setLargeMaxRows(a0);
  }

  @Override
  public void setLong(int a0, long a1) throws SQLException {
    target.setLong(a0, a1);
  }

  @Override
  public void setMaxFieldSize(int a0) throws SQLException {
    target.setMaxFieldSize(a0);
  }

  @Override
  public void setMaxRows(int a0) throws SQLException {
    target.setMaxRows(a0);
  }

  @Override
  public void setNCharacterStream(int a0, java.io.Reader a1, long a2) throws SQLException {
    target.setNCharacterStream(a0, a1, a2);
  }

  @Override
  public void setNCharacterStream(int a0, java.io.Reader a1) throws SQLException {
    target.setNCharacterStream(a0, a1);
  }

  @Override
  public void setNClob(int a0, java.io.Reader a1, long a2) throws SQLException {
    target.setNClob(a0, a1, a2);
  }

  @Override
  public void setNClob(int a0, java.io.Reader a1) throws SQLException {
    target.setNClob(a0, a1);
  }

  @Override
  public void setNClob(int a0, NClob a1) throws SQLException {
    target.setNClob(a0, a1);
  }

  @Override
  public void setNull(int a0, int a1, String a2) throws SQLException {
    target.setNull(a0, a1, a2);
  }

  @Override
  public void setNull(int a0, int a1) throws SQLException {
    target.setNull(a0, a1);
  }

  @Override
  public void setPoolable(boolean a0) throws SQLException {
    target.setPoolable(a0);
  }

  @Override
  public void setQueryTimeout(int a0) throws SQLException {
    target.setQueryTimeout(a0);
  }

  @Override
  public void setRef(int a0, Ref a1) throws SQLException {
    target.setRef(a0, a1);
  }

  @Override
  public void setRowId(int a0, RowId a1) throws SQLException {
    target.setRowId(a0, a1);
  }

  @Override
  public void setSQLXML(int a0, SQLXML a1) throws SQLException {
    target.setSQLXML(a0, a1);
  }

  @Override
  public void setShort(int a0, short a1) throws SQLException {
    target.setShort(a0, a1);
  }

  @Override
  public void setTime(int a0, Time a1, java.util.Calendar a2) throws SQLException {
    target.setTime(a0, a1, a2);
  }

  @Override
  public void setTime(int a0, Time a1) throws SQLException {
    target.setTime(a0, a1);
  }

  @Override
  public void setTimestamp(int a0, Timestamp a1, java.util.Calendar a2) throws SQLException {
    target.setTimestamp(a0, a1, a2);
  }

  @Override
  public void setTimestamp(int a0, Timestamp a1) throws SQLException {
    target.setTimestamp(a0, a1);
  }

  @Override
  public void setURL(int a0, java.net.URL a1) throws SQLException {
    target.setURL(a0, a1);
  }

  @Override
  public void setUnicodeStream(int a0, java.io.InputStream a1, int a2) throws SQLException {
    target.setUnicodeStream(a0, a1, a2);
  }

  @Override
  public <T> T unwrap(Class<T> a0) throws SQLException {
    return target.unwrap(a0);
  }
}
