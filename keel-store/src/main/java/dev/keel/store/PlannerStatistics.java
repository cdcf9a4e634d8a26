package dev.keel.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL: keeps the planner's statistics of traces and observations from falling far
 * behind the tables, for the write path's plans (see {@link StoredRows#KEYED_PLANS_PG}).
 *
 * <p>The write path's statements are planned once per connection and the plan kept until the
 * statistics of a table they read change. A plan made while a table was small and had no
 * statistics costs every index alike and may look rows up through one that holds the project
 * but not the key, such as (project, user) for a trace by id or (project, level, trace) for
 * the observations of a trace: harmless on a few hundred rows, a read of the whole project in
 * every transaction later. Autovacuum analyzes a table after a tenth of it changed, which also
 * has the server plan such statements again; where autovacuum is off or behind, this class
 * does it: once rows written since the last check pass {@value #CHECK_EVERY_ROWS}, it looks, on
 * a thread of its own, for a table with more rows changed since its last analysis than it then
 * held (and at least {@value #MIN_CHANGED}), and analyzes it. Tables that grow from empty are
 * so analyzed about once each time they double.
 */
final class PlannerStatistics {

  private static final Logger LOG = LoggerFactory.getLogger(PlannerStatistics.class);
  static final long CHECK_EVERY_ROWS = 2_000;
  static final long MIN_CHANGED = 1_000;
  private static final String STALE = """
      SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
      WHERE s.relid IN (to_regclass('traces'), to_regclass('observations'))
        AND s.n_mod_since_analyze > GREATEST(?, c.reltuples)
      ORDER BY s.relname
      """;

  private final Db db;
  private final AtomicLong sinceCheck = new AtomicLong();
  private final AtomicBoolean checking = new AtomicBoolean();

  PlannerStatistics(Db db) {
    this.db = db;
  }

  /** Counts rows a committed write wrote; starts a check once enough have been. */
  void written(long rows) {
    if (sinceCheck.addAndGet(rows) < CHECK_EVERY_ROWS || !checking.compareAndSet(false, true)) {
      return;
    }
    sinceCheck.set(0);
    Thread.ofVirtual().name("keel-planner-statistics").start(() -> {
      try {
        analyzeStale();
      } catch (RuntimeException e) {
        LOG.warn("could not refresh planner statistics: {}", e.getMessage());
      } finally {
        checking.set(false);
      }
    });
  }

  /** Analyzes traces and observations where they changed more than they held; their names. */
  List<String> analyzeStale() {
    return db.read(c -> {
      var stale = new ArrayList<String>();
      try (PreparedStatement ps = c.prepareStatement(STALE)) {
        ps.setLong(1, MIN_CHANGED);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            stale.add(rs.getString(1));
          }
        }
      }
      try (Statement s = c.createStatement()) {
        for (String table : stale) {
          s.execute("ANALYZE " + table); // one of the two names above, never user input
        }
      }
      return stale;
    });
  }
}
