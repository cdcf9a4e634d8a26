package dev.keel.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The trace browsing contract on SQLite, in a folder of its own. */
class SqliteTraceBrowseIT extends TraceBrowseContract {

  private Path dir;

  @Override
  protected Store openStore() throws Exception {
    dir = Files.createTempDirectory("keel-trace-browse-it");
    return Store.open(StoreConfig.sqlite(dir));
  }

  @Override
  protected void dropStore() throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
