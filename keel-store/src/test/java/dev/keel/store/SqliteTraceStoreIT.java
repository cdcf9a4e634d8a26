package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SqliteTraceStoreIT extends TraceStoreContract {

  private Path dir;

  @Override
  protected Store openStore() throws Exception {
    dir = Files.createTempDirectory("keel-store-it");
    return Store.open(StoreConfig.sqlite(dir.resolve("data")));
  }

  @Override
  protected void dropStore() throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  @Test
  void open_sqlite_createsFileInWalMode() throws Exception {
    try (Store s = Store.open(StoreConfig.sqlite(dir.resolve("other")))) {

      String mode = s.traces() instanceof JdbcTraceStore ? pragma(dir.resolve("other")) : "";

      assertThat(s.dialect()).isEqualTo("sqlite");
      assertThat(s.describe()).endsWith("keel.db");
      assertThat(mode).isEqualToIgnoringCase("wal");
    }
  }

  private static String pragma(Path dataDir) throws Exception {
    String url = "jdbc:sqlite:" + dataDir.resolve("keel.db");
    try (var c = java.sql.DriverManager.getConnection(url);
        var rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
