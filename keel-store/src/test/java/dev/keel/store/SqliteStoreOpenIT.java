package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening an SQLite store that cannot be opened: one line naming the file and the reason. */
class SqliteStoreOpenIT {

  @TempDir
  Path dir;

  @Test
  void open_fileIsNotADatabase_namesPathAndReason() throws Exception {
    Path db = dir.resolve("keel.db");
    Files.writeString(db, "this is a text file, not SQLite ".repeat(200));

    assertThatThrownBy(() -> Store.open(StoreConfig.sqlite(dir)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("cannot open the SQLite store at " + db.toAbsolutePath() + ": ")
        .hasMessageContaining("not a database")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void open_pathIsAFolder_namesPathAndReason() throws Exception {
    Files.createDirectory(dir.resolve("keel.db"));

    assertThatThrownBy(() -> Store.open(StoreConfig.sqlite(dir)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("cannot open the SQLite store at "
            + dir.resolve("keel.db").toAbsolutePath() + ": ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void open_storeThatHasLaterMigrationsButNotAnEarlierOne_appliesTheEarlierOne()
      throws Exception {
    // A store made by a Keel whose migrations stopped short of one that came later with a lower
    // number (V9 reached main after V10-V12): every migration but V9 applied first.
    Path scripts = Files.createDirectory(dir.resolve("without-v9"));
    try (var listing = Files.list(Path.of(Store.class.getResource("/db/migration/sqlite/V1__init.sql")
        .toURI()).getParent())) {
      for (Path f : listing.toList()) {
        if (!f.getFileName().toString().startsWith("V9__")) {
          Files.copy(f, scripts.resolve(f.getFileName()));
        }
      }
    }
    Path data = Files.createDirectory(dir.resolve("data"));
    String url = StoreConfig.sqlite(data).jdbcUrl();
    org.flywaydb.core.Flyway.configure().dataSource(url, null, null)
        .locations("filesystem:" + scripts).load().migrate();

    try (Store s = Store.open(StoreConfig.sqlite(data));
        var c = java.sql.DriverManager.getConnection(url);
        var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM sqlite_master "
            + "WHERE type = 'table' AND name LIKE 'rollup%'")) {
      assertThat(s.dialect()).isEqualTo("sqlite");
      rs.next();
      assertThat(rs.getInt(1)).as("rollup tables of V9").isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void open_goodFolder_opens() {
    try (Store s = Store.open(StoreConfig.sqlite(dir))) {
      assertThat(s.dialect()).isEqualTo("sqlite");
    }
  }
}
