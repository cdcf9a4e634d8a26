package dev.keel.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the store lives and how many connections it may hold.
 *
 * @param jdbcUrl a {@code jdbc:sqlite:} or {@code jdbc:postgresql:} URL
 * @param user database user, or null (SQLite, or taken from the URL)
 * @param password database password, or null; never shown by {@link #toString()}
 * @param maxPoolSize the most connections the pool opens
 */
public record StoreConfig(String jdbcUrl, String user, String password, int maxPoolSize) {

  /** Pool size for SQLite: reads run concurrently, writes are serialized anyway. */
  public static final int SQLITE_POOL_SIZE = 4;
  /** Pool size for PostgreSQL. */
  public static final int POSTGRES_POOL_SIZE = 10;

  public StoreConfig {
    if (jdbcUrl == null || !(jdbcUrl.startsWith("jdbc:sqlite:")
        || jdbcUrl.startsWith("jdbc:postgresql:"))) {
      throw new IllegalArgumentException(
          "jdbcUrl must start with jdbc:sqlite: or jdbc:postgresql: " + redact(jdbcUrl));
    }
    if (maxPoolSize <= 0) {
      throw new IllegalArgumentException("maxPoolSize must be positive: " + maxPoolSize);
    }
  }

  /** An SQLite file {@code keel.db} in {@code dataDir}, creating the folder when missing. */
  public static StoreConfig sqlite(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data folder " + dataDir, e);
    }
    Path db = dataDir.resolve("keel.db").toAbsolutePath();
    return new StoreConfig("jdbc:sqlite:" + db, null, null, SQLITE_POOL_SIZE);
  }

  /**
   * A PostgreSQL database from {@code jdbc:postgresql://...}, {@code postgres://u:p@h:port/db}
   * or {@code postgresql://...}. User and password come from the URL; batched inserts are
   * switched on because the trace writer depends on them for throughput.
   */
  public static StoreConfig postgres(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("database url must not be blank");
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return new StoreConfig(withBatchRewrite(url), null, null, POSTGRES_POOL_SIZE);
    }
    if (!url.startsWith("postgres://") && !url.startsWith("postgresql://")) {
      throw new IllegalArgumentException("not a PostgreSQL url: " + redact(url));
    }
    URI uri = URI.create(url);
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      password = parts.length > 1 ? decode(parts[1]) : null;
    }
    String port = uri.getPort() > 0 ? ":" + uri.getPort() : "";
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    String jdbc = "jdbc:postgresql://" + uri.getHost() + port + uri.getRawPath() + query;
    return new StoreConfig(withBatchRewrite(jdbc), user, password, POSTGRES_POOL_SIZE);
  }

  /** Same settings with another pool size. */
  public StoreConfig withMaxPoolSize(int size) {
    return new StoreConfig(jdbcUrl, user, password, size);
  }

  @Override
  public String toString() {
    return "StoreConfig[jdbcUrl=" + redact(jdbcUrl) + ", user=" + user
        + ", password=" + (password == null ? "null" : "***") + ", maxPoolSize=" + maxPoolSize
        + "]";
  }

  /** The URL with any password query parameter or user-info secret masked. */
  static String redact(String url) {
    if (url == null) {
      return "null";
    }
    return url.replaceAll("(?i)(password=)[^&]*", "$1***")
        .replaceAll("://([^:/@]+):[^@/]*@", "://$1:***@");
  }

  private static String withBatchRewrite(String jdbcUrl) {
    if (jdbcUrl.contains("reWriteBatchedInserts=")) {
      return jdbcUrl;
    }
    return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
