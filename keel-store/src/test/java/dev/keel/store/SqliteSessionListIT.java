package dev.keel.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The sessions list contract on SQLite, in a folder of its own. */
class SqliteSessionListIT extends SessionListContract {

  private Path dir;

  @Override
  protected Store openStore() throws Exception {
    dir = Files.createTempDirectory("keel-session-list-it");
    return Store.open(StoreConfig.sqlite(dir));
  }

  @Override
  protected void dropStore() throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
