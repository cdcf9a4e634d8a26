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
  void open_goodFolder_opens() {
    try (Store s = Store.open(StoreConfig.sqlite(dir))) {
      assertThat(s.dialect()).isEqualTo("sqlite");
    }
  }
}
