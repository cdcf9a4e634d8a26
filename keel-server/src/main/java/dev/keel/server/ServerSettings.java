package dev.keel.server;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How {@code keel serve} was asked to run.
 *
 * @param host address to bind (default 127.0.0.1; 0.0.0.0 to listen on every interface)
 * @param port HTTP port (default 4000; 0 picks a free one)
 * @param dataDir where the SQLite file lives when no database URL is given
 * @param databaseUrl PostgreSQL URL, or null for SQLite
 * @param configFile keel.yaml, or null
 * @param env the environment (provider keys, KEEL_* settings)
 */
public record ServerSettings(String host, int port, Path dataDir, String databaseUrl,
    Path configFile, Map<String, String> env) {

  public ServerSettings {
    host = host == null ? "127.0.0.1" : host;
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
    }
    Objects.requireNonNull(dataDir, "dataDir");
    env = env == null ? Map.of() : Map.copyOf(env);
    if (databaseUrl == null || databaseUrl.isBlank()) {
      databaseUrl = env.get("KEEL_DATABASE_URL");
    }
    if (databaseUrl != null && databaseUrl.isBlank()) {
      databaseUrl = null;
    }
  }
}
