package dev.keel.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The opened store: a connection pool on SQLite or PostgreSQL with its schema migrated, and
 * the per-aggregate stores on top. Open once at start, close at stop.
 */
public final class Store implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Store.class);

  private final Db db;
  private final String describe;
  private final TraceStore traces;
  private final KeyStore keys;
  private final ScoreStore scores;
  private final SessionStore sessions;
  private final ReportStore reports;
  private final PromptStore prompts;
  private final BudgetStore budgets;
  private final DatasetStore datasets;
  private final UserStore users;
  private final OnlineEvalStore onlineEval;
  private final RoutingStore routing;
  private final AlertStore alerts;
  private final UiSessionStore uiSessions;
  private final SettingStore settings;
  private RollupRefresher rollupRefresher;

  private Store(Db db, String describe) {
    this.db = db;
    this.describe = describe;
    this.traces = new JdbcTraceStore(db);
    this.keys = new JdbcKeyStore(db);
    this.scores = new JdbcScoreStore(db);
    this.sessions = new JdbcSessionStore(db);
    this.reports = new JdbcReportStore(db);
    this.prompts = new JdbcPromptStore(db);
    this.budgets = new JdbcBudgetStore(db);
    this.datasets = new JdbcDatasetStore(db);
    this.users = new JdbcUserStore(db);
    this.onlineEval = new JdbcOnlineEvalStore(db);
    this.routing = new JdbcRoutingStore(db);
    this.alerts = new JdbcAlertStore(db);
    this.uiSessions = new JdbcUiSessionStore(db);
    this.settings = new JdbcSettingStore(db);
  }

  /** Opens the pool and runs the dialect's migrations (db/migration/sqlite or postgresql). */
  public static Store open(StoreConfig c) {
    Dialect dialect = Dialect.of(c.jdbcUrl());
    try {
      return open(c, dialect);
    } catch (RuntimeException e) {
      if (dialect != Dialect.SQLITE) {
        throw e;
      }
      // The pool and Flyway wrap SQLite's reason in layers of their own; the user needs the
      // file and the reason, in one line.
      throw new IllegalStateException("cannot open the SQLite store at "
          + describe(c.jdbcUrl(), dialect) + ": " + rootReason(e), e);
    }
  }

  private static Store open(StoreConfig c, Dialect dialect) {
    HikariDataSource pool = new HikariDataSource(poolConfig(c, dialect));
    try {
      // Out of order: a migration numbered below one a store already has is applied, not
      // refused. V9 (rollups) landed after V10-V12 had reached stores, and parallel work can do
      // that again; each migration stands on its own, so the order between them does not matter.
      Flyway.configure().dataSource(pool)
          .locations("classpath:db/migration/" + dialect.id())
          .outOfOrder(true)
          .load().migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    Store store = new Store(new Db(pool, dialect), describe(c.jdbcUrl(), dialect));
    LOG.info("Store opened: {} {}", dialect.id(), store.describe());
    return store;
  }

  /** "sqlite" or "postgresql". */
  public String dialect() {
    return db.dialect().id();
  }

  /**
   * Write transactions a {@link TraceWriter} on this store should run at once: PostgreSQL runs
   * two side by side (docs/benchmarks.md, ingestion round five); SQLite has a single writer.
   */
  public int traceWriters() {
    return db.dialect() == Dialect.POSTGRESQL ? 2 : 1;
  }

  /** Where the data lives, for the start-up log: a file path or host:port/db, no secrets. */
  public String describe() {
    return describe;
  }

  public TraceStore traces() {
    return traces;
  }

  public KeyStore keys() {
    return keys;
  }

  public ScoreStore scores() {
    return scores;
  }

  public SessionStore sessions() {
    return sessions;
  }

  public ReportStore reports() {
    return reports;
  }

  public PromptStore prompts() {
    return prompts;
  }

  public BudgetStore budgets() {
    return budgets;
  }

  public DatasetStore datasets() {
    return datasets;
  }

  /** Web UI accounts. */
  public UserStore users() {
    return users;
  }

  /** Web UI sign-in sessions. */
  public UiSessionStore uiSessions() {
    return uiSessions;
  }

  /** Settings and model prices changed at run time. */
  public SettingStore settings() {
    return settings;
  }

  /** Scores per model and routed calls, for quality-aware routing and its report. */
  public RoutingStore routing() {
    return routing;
  }

  /** Health alert states shared by every instance on this store. */
  public AlertStore alerts() {
    return alerts;
  }

  /** Online evaluation rules, outcomes and judge spend. */
  public OnlineEvalStore onlineEval() {
    return onlineEval;
  }

  /**
   * Recomputes dirty hours of the report rollups in the background every {@code every}
   * (RollupRefresher), a bounded number per tick, until {@link #close}; a second call is a
   * no-op.
   */
  public synchronized void refreshRollupsEvery(java.time.Duration every) {
    if (rollupRefresher == null) {
      rollupRefresher = new RollupRefresher(db, RollupRefresher.HOURS_PER_TICK).every(every);
    }
  }

  /** The pool, for this package's tests. */
  Db db() {
    return db;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (rollupRefresher != null) {
        rollupRefresher.close();
      }
    }
    db.close();
  }

  /** The first line of the innermost message, or the innermost exception's class name. */
  private static String rootReason(Throwable e) {
    String reason = null;
    Throwable last = e;
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      last = t;
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        reason = t.getMessage();
      }
    }
    return reason == null ? last.getClass().getSimpleName()
        : reason.strip().lines().findFirst().orElse(reason);
  }

    private static HikariConfig poolConfig(StoreConfig c, Dialect dialect) {
    HikariConfig h = new HikariConfig();
    h.setJdbcUrl(c.jdbcUrl());
    h.setUsername(c.user());
    h.setPassword(c.password());
    h.setMaximumPoolSize(c.maxPoolSize());
    h.setPoolName("keel-store");
    if (dialect == Dialect.SQLITE) {
      // WAL lets reads run beside the single writer; NORMAL is durable across app crashes
      // and loses at most the last commits on power loss, the usual trade for WAL.
      h.addDataSourceProperty("journal_mode", "WAL");
      h.addDataSourceProperty("synchronous", "NORMAL");
      h.addDataSourceProperty("busy_timeout", "10000");
    }
    return h;
  }

  private static String describe(String jdbcUrl, Dialect dialect) {
    if (dialect == Dialect.SQLITE) {
      String path = jdbcUrl.substring("jdbc:sqlite:".length());
      int q = path.indexOf('?');
      return q < 0 ? path : path.substring(0, q);
    }
    URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
    String port = uri.getPort() > 0 ? ":" + uri.getPort() : "";
    return uri.getHost() + port + (uri.getPath() == null ? "" : uri.getPath());
  }
}
