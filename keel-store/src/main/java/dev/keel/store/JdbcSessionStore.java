package dev.keel.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sessions grouped from the traces table; the (project, session, timestamp) index serves both
 * the grouping and the per-session trace list.
 */
final class JdbcSessionStore implements SessionStore {

  private static final String GROUPED = "SELECT t.session_id AS id, MIN(t.timestamp_us) AS"
      + " created_us, MIN(t.environment) AS environment, COUNT(*) AS n FROM traces t"
      + " WHERE t.project_id = ? AND t.session_id IS NOT NULL%s GROUP BY t.session_id";

  private final Db db;

  JdbcSessionStore(Db db) {
    this.db = db;
  }

  @Override
  public Page<SessionSummary> list(SessionQuery q) {
    var params = new ArrayList<Object>();
    params.add(q.projectId());
    String envSql = "";
    if (q.environment() != null) {
      params.add(q.environment());
      envSql = " AND t.environment = ?";
    }
    var outer = new ArrayList<String>();
    if (q.fromTimestamp() != null) {
      outer.add("g.created_us >= ?");
      params.add(Rows.micros(q.fromTimestamp()));
    }
    if (q.toTimestamp() != null) {
      outer.add("g.created_us < ?");
      params.add(Rows.micros(q.toTimestamp()));
    }
    String from = " FROM (" + GROUPED.formatted(envSql) + ") g"
        + (outer.isEmpty() ? "" : " WHERE " + String.join(" AND ", outer));
    // One grouping for the page and the total: COUNT(*) OVER () counts every group before
    // LIMIT. A page past the end has no row to carry it, so only then is the total counted
    // apart.
    String sql = "SELECT g.id, g.created_us, g.environment, g.n, COUNT(*) OVER ()" + from
        + " ORDER BY g.created_us DESC, g.id DESC LIMIT ? OFFSET ?";
    var paged = new ArrayList<Object>(params);
    paged.add(q.limit());
    paged.add((q.page() - 1) * q.limit());
    String projectId = q.projectId();
    long[] total = {0};
    return db.read(c -> {
      List<SessionSummary> items = JdbcTraceStore.query(c, sql, new Where(), rs -> {
        total[0] = rs.getLong(5);
        return new SessionSummary(rs.getString(1), projectId, Rows.instant(rs.getLong(2)),
            rs.getString(3), rs.getLong(4));
      }, paged.toArray());
      if (items.isEmpty()) {
        total[0] = JdbcTraceStore.query(c, "SELECT COUNT(*)" + from, new Where(),
            rs -> rs.getLong(1), params.toArray()).get(0);
      }
      return new Page<>(items, q.page(), q.limit(), total[0]);
    });
  }

  @Override
  public Optional<SessionSummary> find(String projectId, String sessionId) {
    String sql = "SELECT MIN(t.timestamp_us), MIN(t.environment), COUNT(*) FROM traces t"
        + " WHERE t.project_id = ? AND t.session_id = ?";
    return db.read(c -> JdbcTraceStore.query(c, sql, new Where(), rs -> {
      long n = rs.getLong(3);
      return n == 0 ? null : new SessionSummary(sessionId, projectId,
          Rows.instant(rs.getLong(1)), rs.getString(2), n);
    }, projectId, sessionId)).stream().filter(s -> s != null).findFirst();
  }

  @Override
  public List<TraceSummary> traces(String projectId, String sessionId) {
    String sql = "SELECT " + Rows.TRACE_COLUMNS + " FROM traces t"
        + " WHERE t.project_id = ? AND t.session_id = ? ORDER BY t.timestamp_us, t.id";
    return db.read(c -> JdbcTraceStore.query(c, sql, new Where(), Rows::summary, projectId,
        sessionId));
  }
}
