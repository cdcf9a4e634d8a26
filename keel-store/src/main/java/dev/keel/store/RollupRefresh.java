package dev.keel.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Recomputes the hourly rollups (migration V9) of the hours that triggers marked dirty.
 *
 * <p>Concurrency: on PostgreSQL two refreshers of one hour are serialized by a transaction
 * advisory lock on (project, hour), taken in hour order, so they neither deadlock nor both
 * insert the hour's rows. After the lock a refresher reads the hour's marks, recomputes the
 * hour from raw rows and deletes exactly the marks it read: a writer that commits while it
 * recomputes leaves a mark of its own, so the hour stays dirty until a later refresh sees its
 * rows. On SQLite an hour is recomputed outside the write lock and written under it (see
 * {@link #refreshSqlite}).
 */
final class RollupRefresh {

  static final long MICROS_PER_HOUR = 3_600_000_000L;
  /** Hours per write transaction, so a first refresh after a bulk load lets writers in. */
  private static final int HOURS_PER_TRANSACTION = 12;
  private static final int DELETE_CHUNK = 500;

  private final Db db;
  private final CostRollup costs;

  RollupRefresh(Db db, CostRollup costs) {
    this.db = db;
    this.costs = costs;
  }

  /** Recomputes the dirty hours of {@code projectId} in [fromHour, toHour). */
  void refresh(String projectId, long fromHour, long toHour) {
    List<Long> hours = db.read(c -> dirtyHours(c, projectId, fromHour, toHour));
    if (db.dialect() == Dialect.SQLITE) {
      hours.forEach(hour -> refreshSqlite(projectId, hour));
      return;
    }
    for (int i = 0; i < hours.size(); i += HOURS_PER_TRANSACTION) {
      List<Long> chunk = hours.subList(i, Math.min(hours.size(), i + HOURS_PER_TRANSACTION));
      db.write(c -> {
        for (long hour : chunk) {
          refreshHour(c, projectId, hour, true);
        }
        return null;
      });
    }
  }

  /**
   * Recomputes up to {@code maxHours} dirty hours of any project, newest first, one write
   * transaction per hour (so writers get in between), for the background refresher. On
   * PostgreSQL an hour another instance is refreshing is skipped, not waited for: its marks go
   * with that refresh. Returns the hours recomputed.
   */
  int refreshNewest(int maxHours) {
    return refreshNewest(maxHours, (projectId, hour) -> true);
  }

  /** Which dirty hours a background refresh takes, and what each cost. */
  interface Schedule {
    boolean due(String projectId, long hour);

    /** Told after each hour {@link #due} let through, with the time its refresh took. */
    default void took(String projectId, long hour, long nanos) {
    }
  }

  /** As {@link #refreshNewest(int)}, leaving out the dirty hours {@code schedule} says to skip. */
  int refreshNewest(int maxHours, Schedule schedule) {
    record Dirty(String projectId, long hour) {}
    List<Dirty> dirty = db.read(c -> {
      var out = new ArrayList<Dirty>();
      try (PreparedStatement ps = c.prepareStatement("SELECT project_id, hour FROM rollup_dirty"
          + " GROUP BY project_id, hour ORDER BY hour DESC, project_id LIMIT ?")) {
        ps.setInt(1, maxHours);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Dirty(rs.getString(1), rs.getLong(2)));
          }
        }
      }
      return out;
    });
    int done = 0;
    for (Dirty d : dirty) {
      if (!schedule.due(d.projectId(), d.hour())) {
        continue;
      }
      long start = System.nanoTime();
      if (db.dialect() == Dialect.SQLITE ? refreshSqlite(d.projectId(), d.hour())
          : db.write(c -> refreshHour(c, d.projectId(), d.hour(), false))) {
        done++;
      }
      schedule.took(d.projectId(), d.hour(), System.nanoTime() - start);
    }
    return done;
  }

  private static List<Long> dirtyHours(Connection c, String projectId, long fromHour,
      long toHour) throws SQLException {
    String sql = "SELECT DISTINCT hour FROM rollup_dirty WHERE project_id = ? AND hour >= ?"
        + " AND hour < ? ORDER BY hour";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, projectId);
      ps.setLong(2, fromHour);
      ps.setLong(3, toHour);
      return longs(ps);
    }
  }

  /**
   * PostgreSQL: recomputes one hour in the caller's write transaction if it is still dirty;
   * returns whether it did. {@code wait}: wait for the hour's advisory lock, else give up at
   * once if another transaction holds it. (SQLite takes {@link #refreshSqlite}.)
   */
  private boolean refreshHour(Connection c, String projectId, long hour, boolean wait)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(wait
        ? "SELECT pg_advisory_xact_lock(hashtext(?), ?)"
        : "SELECT pg_try_advisory_xact_lock(hashtext(?), ?)")) {
      ps.setString(1, projectId);
      ps.setInt(2, (int) hour);
      try (ResultSet rs = ps.executeQuery()) {
        if (!wait && rs.next() && !rs.getBoolean(1)) {
          return false;
        }
      }
    }
    Recomputed r = recompute(c, projectId, hour);
    if (r == null) {
      return false;
    }
    replace(c, projectId, hour, r, true);
    return true;
  }

  /**
   * SQLite: the hour is recomputed on a read connection, outside the store's write lock, and
   * only its replacement is written under it, so ingestion does not wait while a busy hour's
   * rows are read (seconds at a few hundred thousand rows). One such refresh runs at a time in
   * the process ({@link Db#rollupRefreshLock}; a SQLite store has one Keel process). A write
   * that commits during the computation may leave no mark (SQLite's marks are one per hour:
   * RollupMarks and the V9 triggers insert one only when the hour has none), so the marks are
   * removed only when no transaction at all committed since before the computation read
   * anything; otherwise the hour keeps them and stays dirty for the next refresh.
   */
  private boolean refreshSqlite(String projectId, long hour) {
    db.rollupRefreshLock().lock();
    try {
      long commitsBefore = db.sqliteCommits();
      Recomputed r = db.read(c -> recompute(c, projectId, hour));
      if (r == null) {
        return false;
      }
      return db.write(c -> {
        replace(c, projectId, hour, r, db.sqliteCommits() == commitsBefore);
        return true;
      });
    } finally {
      db.rollupRefreshLock().unlock();
    }
  }

  private record Recomputed(List<Long> marks, Map<CostRollup.CallKey, GenerationTotals> calls,
      Map<CostRollup.SpendKey, GenerationTotals> spend,
      Map<TraceRollup.Key, TraceRollup.Totals> traces) {
  }

  // The hour's marks, then its rows computed from raw rows; null when it is not dirty.
  private Recomputed recompute(Connection c, String projectId, long hour) throws SQLException {
    List<Long> marks;
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT id FROM rollup_dirty WHERE project_id = ? AND hour = ?")) {
      ps.setString(1, projectId);
      ps.setLong(2, hour);
      marks = longs(ps);
    }
    if (marks.isEmpty()) {
      return null;
    }
    long from = hour * MICROS_PER_HOUR;
    long to = from + MICROS_PER_HOUR;
    return new Recomputed(marks, costs.calls(c, projectId, from, to),
        costs.spend(c, projectId, from, to),
        TraceRollup.compute(c, db.dialect(), projectId, from, to));
  }

  // Puts the recomputed rows in place of the hour's and, when told, removes the marks they
  // answer.
  private static void replace(Connection c, String projectId, long hour, Recomputed r,
      boolean clearMarks) throws SQLException {
    for (String table : new String[] {"rollup_calls", "rollup_spend", "rollup_traces"}) {
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM " + table + " WHERE project_id = ? AND hour = ?")) {
        ps.setString(1, projectId);
        ps.setLong(2, hour);
        ps.executeUpdate();
      }
    }
    insertCalls(c, projectId, hour, r.calls());
    insertSpend(c, projectId, hour, r.spend());
    insertTraces(c, projectId, hour, r.traces());
    if (clearMarks) {
      deleteMarks(c, r.marks());
    }
  }

  private static void insertCalls(Connection c, String projectId, long hour,
      Map<CostRollup.CallKey, GenerationTotals> rows) throws SQLException {
    String sql = "INSERT INTO rollup_calls (project_id, hour, model, prompt_name,"
        + " prompt_version, " + GenerationTotals.COLUMNS + ", latency)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (var e : rows.entrySet()) {
        ps.setString(1, projectId);
        ps.setLong(2, hour);
        ps.setString(3, e.getKey().model());
        ps.setString(4, e.getKey().promptName());
        ps.setObject(5, e.getKey().promptVersion(), java.sql.Types.INTEGER);
        int i = e.getValue().bind(ps, 6);
        ps.setString(i, e.getValue().latency.encode());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void insertSpend(Connection c, String projectId, long hour,
      Map<CostRollup.SpendKey, GenerationTotals> rows) throws SQLException {
    String sql = "INSERT INTO rollup_spend (project_id, hour, model, key_id, user_id, team, "
        + GenerationTotals.COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (var e : rows.entrySet()) {
        ps.setString(1, projectId);
        ps.setLong(2, hour);
        ps.setString(3, e.getKey().model());
        ps.setString(4, e.getKey().keyId());
        ps.setString(5, e.getKey().userId());
        ps.setString(6, e.getKey().team());
        e.getValue().bind(ps, 7);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Per-user rows for traces with a user, and the project's rows summed over every user. */
  private static void insertTraces(Connection c, String projectId, long hour,
      Map<TraceRollup.Key, TraceRollup.Totals> rows) throws SQLException {
    var project = new java.util.LinkedHashMap<String, TraceRollup.Totals>();
    String sql = "INSERT INTO rollup_traces (project_id, hour, per_user, user_id, model, "
        + TraceRollup.Totals.COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (var e : rows.entrySet()) {
        project.computeIfAbsent(e.getKey().model(), m -> new TraceRollup.Totals())
            .addAll(e.getValue());
        if (e.getKey().userId() != null) {
          addTraceRow(ps, projectId, hour, e.getKey().userId(), e.getKey().model(),
              e.getValue());
        }
      }
      for (var e : project.entrySet()) {
        addTraceRow(ps, projectId, hour, null, e.getKey(), e.getValue());
      }
      ps.executeBatch();
    }
  }

  private static void addTraceRow(PreparedStatement ps, String projectId, long hour,
      String userId, String model, TraceRollup.Totals t) throws SQLException {
    ps.setString(1, projectId);
    ps.setLong(2, hour);
    ps.setBoolean(3, userId != null);
    ps.setString(4, userId);
    ps.setString(5, model);
    t.bind(ps, 6);
    ps.addBatch();
  }

  private static void deleteMarks(Connection c, List<Long> marks) throws SQLException {
    for (int i = 0; i < marks.size(); i += DELETE_CHUNK) {
      List<Long> chunk = marks.subList(i, Math.min(marks.size(), i + DELETE_CHUNK));
      String sql = "DELETE FROM rollup_dirty WHERE id IN ("
          + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int j = 0; j < chunk.size(); j++) {
          ps.setLong(j + 1, chunk.get(j));
        }
        ps.executeUpdate();
      }
    }
  }

  private static List<Long> longs(PreparedStatement ps) throws SQLException {
    var out = new ArrayList<Long>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }
}
