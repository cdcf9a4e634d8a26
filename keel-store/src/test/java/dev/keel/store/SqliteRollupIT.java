package dev.keel.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Comparator;
import java.util.stream.Stream;

class SqliteRollupIT extends RollupContract {

  private Path dir;

  @Override
  protected Store openStore() throws Exception {
    dir = Files.createTempDirectory("keel-rollup-it");
    return Store.open(StoreConfig.sqlite(dir));
  }

  @Override
  protected Connection connect() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("keel.db"));
  }

  @Override
  protected void dropStore() throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
