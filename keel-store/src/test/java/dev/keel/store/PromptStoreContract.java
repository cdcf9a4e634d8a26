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

/** The behaviour every prompt store must have; each dialect's IT extends it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PromptStoreContract {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00.123456Z");

  private Store store;
  private PromptStore prompts;
  private final String p = "p-" + UUID.randomUUID();

  /** Opens a fresh, empty store for this test class. */
  protected abstract Store openStore() throws Exception;

  /** Removes what {@link #openStore()} created. */
  protected void dropStore() throws Exception {
  }

  @BeforeAll
  void open() throws Exception {
    store = openStore();
    prompts = store.prompts();
  }

  @AfterAll
  void close() throws Exception {
    store.close();
    dropStore();
  }

  @Test
  void create_first_isVersionOneWithLatestAndEveryField() {
    StoredPrompt made = prompts.create(p, draft("rt", "text", "Hi {{name}}", List.of("a")),
        List.of("latest", "production"));

    StoredPrompt found = prompts.find(p, "rt", 1).orElseThrow();

    assertThat(made).isEqualTo(found);
    assertThat(found.version()).isEqualTo(1);
    assertThat(found.type()).isEqualTo("text");
    assertThat(found.body()).isEqualTo("Hi {{name}}");
    assertThat(found.configJson()).isEqualTo("{\"model\":\"gpt-4o\"}");
    assertThat(found.labels()).containsExactly("latest", "production");
    assertThat(found.tags()).containsExactly("a");
    assertThat(found.commitMessage()).isEqualTo("msg Hi {{name}}");
    assertThat(found.author()).isEqualTo("ann");
    assertThat(found.createdAt()).isEqualTo(T0);
    assertThat(found.contentHash()).isEqualTo("hash-Hi {{name}}");
  }

  @Test
  void create_again_movesLatestAndInheritsTags() {
    prompts.create(p, draft("two", "text", "one", List.of("t")), List.of("latest"));

    prompts.create(p, draft("two", "text", "two", null), List.of("latest"));

    assertThat(prompts.versions(p, "two")).extracting(StoredPrompt::version,
        StoredPrompt::labels).containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, List.of()),
            org.assertj.core.groups.Tuple.tuple(2, List.of("latest")));
    assertThat(prompts.findByLabel(p, "two", "latest").orElseThrow().tags())
        .containsExactly("t");
  }

  @Test
  void create_otherType_isRejectedAndStoresNothing() {
    prompts.create(p, draft("typed", "text", "x", null), List.of("latest"));

    assertThatThrownBy(() -> prompts.create(p, draft("typed", "chat", "[]", null),
        List.of("latest")))
        .isInstanceOf(KeelException.class)
        .hasMessageContaining("is a text prompt")
        .extracting(e -> ((KeelException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(prompts.versions(p, "typed")).hasSize(1);
    prompts.create(p, draft("typed", "text", "y", null), List.of("latest"));
    assertThat(prompts.find(p, "typed", 2)).isPresent();
  }

  @Test
  void addLabels_movesLabelAndKeepsHistoryForRollback() {
    for (String body : List.of("a", "b", "c")) {
      prompts.create(p, draft("lab", "text", body, null), List.of("latest"));
    }

    prompts.addLabels(p, "lab", 1, List.of("production"), T0);
    prompts.addLabels(p, "lab", 3, List.of("production", "staging"), T0);

    assertThat(prompts.findByLabel(p, "lab", "production").orElseThrow().version())
        .isEqualTo(3);
    assertThat(prompts.find(p, "lab", 3).orElseThrow().labels())
        .containsExactly("latest", "production", "staging");
    assertThat(prompts.find(p, "lab", 1).orElseThrow().labels()).isEmpty();
    assertThat(prompts.previousWithLabel(p, "lab", "production", 3)).hasValue(1);
    assertThat(prompts.previousWithLabel(p, "lab", "production", 1)).isEmpty();
    assertThat(prompts.previousWithLabel(p, "lab", "staging", 3)).isEmpty();
  }

  @Test
  void addLabels_missingVersion_isEmptyAndChangesNothing() {
    prompts.create(p, draft("miss", "text", "a", null), List.of("latest"));

    assertThat(prompts.addLabels(p, "miss", 7, List.of("production"), T0)).isEmpty();
    assertThat(prompts.addLabels(p, "nobody", 1, List.of("production"), T0)).isEmpty();

    assertThat(prompts.findByLabel(p, "miss", "production")).isEmpty();
  }

  @Test
  void find_unknown_isEmpty() {
    assertThat(prompts.find(p, "nope", 1)).isEmpty();
    assertThat(prompts.findByLabel(p, "nope", "production")).isEmpty();
    assertThat(prompts.versions(p, "nope")).isEmpty();
  }

  @Test
  void list_filtersByNameLabelAndTag_andPages() {
    String q = "p-" + UUID.randomUUID();
    prompts.create(q, draft("l/one", "text", "a", List.of("red")), List.of("latest"));
    prompts.create(q, draft("l/one", "text", "b", null), List.of("latest", "production"));
    prompts.create(q, draft("l/two", "chat", "[]", List.of("blue")), List.of("latest"));

    Page<PromptSummary> all = prompts.list(query(q, null, null, null, 1, 50));
    Page<PromptSummary> red = prompts.list(query(q, null, null, "red", 1, 50));
    Page<PromptSummary> prod = prompts.list(query(q, null, "production", null, 1, 50));
    Page<PromptSummary> second = prompts.list(query(q, null, null, null, 2, 1));

    assertThat(all.totalItems()).isEqualTo(2);
    PromptSummary one = all.items().stream().filter(s -> s.name().equals("l/one"))
        .findFirst().orElseThrow();
    assertThat(one.versions()).containsExactly(1, 2);
    assertThat(one.labels()).containsExactly("latest", "production");
    assertThat(one.tags()).containsExactly("red");
    assertThat(one.lastConfigJson()).isEqualTo("{\"model\":\"gpt-4o\"}");
    assertThat(red.items()).extracting(PromptSummary::name).containsExactly("l/one");
    assertThat(prod.items()).extracting(PromptSummary::name).containsExactly("l/one");
    assertThat(second.items()).hasSize(1);
    assertThat(second.totalPages()).isEqualTo(2);
  }

  @Test
  void create_concurrentSavesOfOneName_areNumberedConsecutively() throws Exception {
    int threads = 8;
    int each = 10;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      var jobs = new ArrayList<Callable<Integer>>();
      IntStream.range(0, threads * each).forEach(i -> jobs.add(() -> prompts.create(p,
          draft("race", "text", "body " + i, null), List.of("latest")).version()));
      var numbers = new ArrayList<Integer>();
      for (Future<Integer> f : pool.invokeAll(jobs)) {
        numbers.add(f.get());
      }

      assertThat(numbers).doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, threads * each)
              .boxed().toList());
      assertThat(prompts.versions(p, "race")).hasSize(threads * each);
      assertThat(prompts.findByLabel(p, "race", "latest").orElseThrow().version())
          .isEqualTo(threads * each);
    } finally {
      pool.shutdownNow();
    }
  }

  private static PromptListQuery query(String project, String name, String label, String tag,
      int page, int limit) {
    return new PromptListQuery(project, name, label, tag, null, null, page, limit);
  }

  private static PromptDraft draft(String name, String type, String body, List<String> tags) {
    return new PromptDraft(name, type, body, "{\"model\":\"gpt-4o\"}", tags, "msg " + body,
        "ann", "hash-" + body, T0);
  }
}
