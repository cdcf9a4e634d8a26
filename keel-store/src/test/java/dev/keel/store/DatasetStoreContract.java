package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The behaviour every dataset store must have; each dialect's IT extends it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DatasetStoreContract {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00.123456Z");

  private Store store;
  private DatasetStore datasets;
  private final String p = "p-" + UUID.randomUUID();

  /** Opens a fresh, empty store for this test class. */
  protected abstract Store openStore() throws Exception;

  /** Removes what {@link #openStore()} created. */
  protected void dropStore() throws Exception {
  }

  @BeforeAll
  void open() throws Exception {
    store = openStore();
    datasets = store.datasets();
  }

  @AfterAll
  void close() throws Exception {
    store.close();
    dropStore();
  }

  @Test
  void upsert_createsThenUpdatesOnlyGivenFields() {
    DatasetRecord made = datasets.upsert(p, new DatasetDraft("up", "first", "{\"a\":1}", null,
        null), T0);

    DatasetRecord again = datasets.upsert(p, new DatasetDraft("up", null, "{\"b\":2}",
        "{\"type\":\"string\"}", null), T0.plusSeconds(1));

    assertThat(made.version()).isZero();
    assertThat(again.id()).isEqualTo(made.id());
    assertThat(again.description()).isEqualTo("first");
    assertThat(again.metadata()).isEqualTo("{\"b\":2}");
    assertThat(again.inputSchema()).isEqualTo("{\"type\":\"string\"}");
    assertThat(again.updatedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(datasets.find(p, "up")).contains(again);
  }

  @Test
  void apply_eachChangeIsOneVersion_andOldVersionsReadBack() {
    datasets.upsert(p, new DatasetDraft("ver", null, null, null, null), T0);

    DatasetChange v1 = datasets.apply(p, "ver", List.of(item("a", "\"qa\""),
        item("b", "\"qb\"")), false, T0);
    DatasetChange v2 = datasets.apply(p, "ver", List.of(item("a", "\"qa2\""),
        item("c", "\"qc\"")), false, T0.plusSeconds(5));

    assertThat(v1).isEqualTo(new DatasetChange(1, 2, 0, 0, 0, List.of("a", "b")));
    assertThat(v2).isEqualTo(new DatasetChange(2, 1, 1, 0, 0, List.of("a", "c")));
    assertThat(inputs("ver", 1)).containsExactly("\"qa\"", "\"qb\"");
    assertThat(inputs("ver", 2)).containsExactly("\"qa2\"", "\"qb\"", "\"qc\"");
    assertThat(inputs("ver", null)).containsExactly("\"qa2\"", "\"qb\"", "\"qc\"");
    assertThat(datasets.find(p, "ver").orElseThrow().version()).isEqualTo(2);
    assertThat(datasets.versionAt(p, "ver", T0.plusSeconds(1))).hasValue(1);
    assertThat(datasets.versionAt(p, "ver", T0.minusSeconds(1))).isEmpty();
  }

  @Test
  void apply_sameItemsAgain_isNoOp() {
    datasets.upsert(p, new DatasetDraft("idem", null, null, null, null), T0);
    List<DatasetItemDraft> items = List.of(item("x", "{\"q\":1}"), item("y", "\"y\""));
    datasets.apply(p, "idem", items, true, T0);

    DatasetChange again = datasets.apply(p, "idem", items, true, T0.plusSeconds(1));

    assertThat(again.changed()).isFalse();
    assertThat(again.version()).isEqualTo(1);
    assertThat(again.unchanged()).isEqualTo(2);
  }

  @Test
  void apply_replace_removesMissingItemsInTheSameVersion() {
    datasets.upsert(p, new DatasetDraft("rep", null, null, null, null), T0);
    datasets.apply(p, "rep", List.of(item("r1", "1"), item("r2", "2")), true, T0);

    DatasetChange v2 = datasets.apply(p, "rep", List.of(item("r2", "2"), item("r3", "3")),
        true, T0.plusSeconds(1));

    assertThat(v2).isEqualTo(new DatasetChange(2, 1, 0, 1, 1, List.of("r2", "r3")));
    assertThat(inputs("rep", 2)).containsExactly("2", "3");
    assertThat(inputs("rep", 1)).containsExactly("1", "2");
    assertThat(datasets.item(p, "r1")).isEmpty();
  }

  @Test
  void item_carriesEveryField_andDeleteMakesAVersion() {
    datasets.upsert(p, new DatasetDraft("full", null, null, null, null), T0);
    DatasetRecord ds = datasets.find(p, "full").orElseThrow();
    datasets.apply(p, "full", List.of(new DatasetItemDraft("f1", "ARCHIVED", "{\"q\":\"?\"}",
        "\"!\"", List.of("c1", "c2"), "{\"m\":true}", "trace-1", "obs-1")), false, T0);

    DatasetItemRecord found = datasets.item(p, "f1").orElseThrow();

    assertThat(found).isEqualTo(new DatasetItemRecord("f1", ds.id(), "full", "ARCHIVED",
        "{\"q\":\"?\"}", "\"!\"", List.of("c1", "c2"), "{\"m\":true}", "trace-1", "obs-1", 1,
        T0, T0));
    assertThat(datasets.items(new DatasetItemQuery(p, null, null, "trace-1", null, 1, 10))
        .items()).containsExactly(found);
    assertThat(datasets.deleteItem(p, "f1", T0.plusSeconds(1))).isTrue();
    assertThat(datasets.item(p, "f1")).isEmpty();
    assertThat(datasets.find(p, "full").orElseThrow().version()).isEqualTo(2);
    assertThat(datasets.deleteItem(p, "f1", T0)).isFalse();
  }

  @Test
  void apply_generatesIds_andRefusesAnotherDatasetsId() {
    datasets.upsert(p, new DatasetDraft("gen", null, null, null, null), T0);
    datasets.upsert(p, new DatasetDraft("other", null, null, null, null), T0);

    DatasetChange made = datasets.apply(p, "gen", List.of(item(null, "1")), false, T0);
    String id = made.itemIds().get(0);

    assertThat(id).isNotBlank();
    assertThatThrownBy(() -> datasets.apply(p, "other", List.of(item(id, "2")), false, T0))
        .isInstanceOf(KeelException.class).hasMessageContaining("belongs to dataset gen")
        .extracting(e -> ((KeelException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThatThrownBy(() -> datasets.apply(p, "nope", List.of(item("z", "1")), false, T0))
        .extracting(e -> ((KeelException) e).code()).isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void items_pagesInInsertionOrder() {
    datasets.upsert(p, new DatasetDraft("pages", null, null, null, null), T0);
    datasets.apply(p, "pages", List.of(item("p-z", "1"), item("p-a", "2"), item("p-m", "3")),
        false, T0);

    Page<DatasetItemRecord> second = datasets.items(new DatasetItemQuery(p, "pages", null,
        null, null, 2, 2));

    assertThat(second.items()).extracting(DatasetItemRecord::id).containsExactly("p-m");
    assertThat(second.totalItems()).isEqualTo(3);
    assertThat(second.totalPages()).isEqualTo(2);
  }

  @Test
  void runItems_createTheRunOnce_andReadBack() {
    datasets.upsert(p, new DatasetDraft("runs", null, null, null, null), T0);
    datasets.apply(p, "runs", List.of(item("ri1", "1"), item("ri2", "2")), false, T0);

    DatasetRunItem first = datasets.addRunItem(p, new DatasetRunItemDraft("exp-1", "desc",
        "{\"model\":\"m\"}", "ri1", "t1", null, null, null), T0);
    DatasetRunItem second = datasets.addRunItem(p, new DatasetRunItemDraft("exp-1", null, null,
        "ri2", "t2", "o2", null, null), T0.plusSeconds(1));

    DatasetRun run = datasets.run(p, "runs", "exp-1").orElseThrow();
    assertThat(second.runId()).isEqualTo(first.runId()).isEqualTo(run.id());
    assertThat(first.datasetVersion()).isEqualTo(1);
    assertThat(run.description()).isEqualTo("desc");
    assertThat(run.metadata()).isEqualTo("{\"model\":\"m\"}");
    assertThat(datasets.runItems(p, run.id(), 1, 10).items()).containsExactly(first, second);
    assertThat(datasets.runs(p, "runs", 1, 10).items()).containsExactly(run);
    assertThatThrownBy(() -> datasets.addRunItem(p, new DatasetRunItemDraft("exp-1", null,
        null, "missing", "t", null, null, null), T0))
        .extracting(e -> ((KeelException) e).code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(datasets.deleteRun(p, "runs", "exp-1")).isTrue();
    assertThat(datasets.run(p, "runs", "exp-1")).isEmpty();
  }

  @Test
  void apply_concurrentChanges_getConsecutiveVersions() throws Exception {
    datasets.upsert(p, new DatasetDraft("busy", null, null, null, null), T0);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Integer>> jobs = IntStream.range(0, 8).<Callable<Integer>>mapToObj(
          n -> () -> datasets.apply(p, "busy", List.of(item("busy-" + n, String.valueOf(n))),
              false, T0).version()).toList();

      List<Integer> versions = new ArrayList<>();
      for (Future<Integer> f : pool.invokeAll(jobs)) {
        versions.add(f.get());
      }

      assertThat(versions).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
      assertThat(inputs("busy", null)).hasSize(8);
      assertThat(datasets.items(new DatasetItemQuery(p, "busy", null, null, null, 1, 100))
          .items()).extracting(DatasetItemRecord::version).containsExactlyInAnyOrderElementsOf(
              versions);
    } finally {
      pool.shutdownNow();
    }
  }

  private List<String> inputs(String name, Integer version) {
    return datasets.items(new DatasetItemQuery(p, name, version, null, null, 1, 100)).items()
        .stream().map(DatasetItemRecord::input).toList();
  }

  private static DatasetItemDraft item(String id, String input) {
    return new DatasetItemDraft(id, null, input, null, null, null, null, null);
  }
}
