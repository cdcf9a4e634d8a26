package dev.keel.tracing.ingest;

import dev.keel.store.Store;
import dev.keel.store.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

class SqliteIngestionWriteIT extends IngestionWriteContract {

  private Path dir;

  @Override
  protected Store openStore() throws Exception {
    dir = Files.createTempDirectory("keel-ingestion-it");
    return Store.open(StoreConfig.sqlite(dir.resolve("data")));
  }

  @Override
  protected void dropStore() throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
