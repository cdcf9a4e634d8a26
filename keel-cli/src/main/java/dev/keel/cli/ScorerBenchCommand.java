package dev.keel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.eval.EvalItem;
import dev.keel.eval.Scorer;
import dev.keel.eval.ScoringContext;
import dev.keel.eval.TaskOutput;
import dev.keel.eval.score.ScorerBench;
import dev.keel.eval.score.Scorers;
import dev.keel.simulator.Simulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keel bench scorers}: deterministic and embedding scorer throughput over items made
 * from the simulator's ClapNQ answer book (real questions, reference answers and passages):
 * item i's reference is book answer i mod 300 and its output is that answer or, for every
 * third item, another question's answer, so scorers see both matches and mismatches.
 */
@Command(name = "scorers", mixinStandardHelpOptions = true,
    description = "Measure scorer throughput (items per second, one thread).")
final class ScorerBenchCommand implements Callable<Integer> {

  private static final List<String> DETERMINISTIC = List.of("exact_match", "contains", "regex",
      "json_valid", "numeric", "string_similarity", "bleu", "rouge_l", "latency", "cost",
      "nonllm_context_precision", "nonllm_context_recall");

  @Option(names = "--items", defaultValue = "10000",
      description = "items per deterministic scorer (default: ${DEFAULT-VALUE})")
  int items;

  @Option(names = "--embedding-items", defaultValue = "1000",
      description = "items for embedding_similarity; 0 skips it (default: ${DEFAULT-VALUE})")
  int embeddingItems;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (items < 1 || embeddingItems < 0) {
      spec.commandLine().getErr().println("keel bench scorers: --items must be positive and "
          + "--embedding-items not negative");
      return 2;
    }
    List<JsonNode> book = book();
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%-26s %8s %9s %12s%n", "scorer", "items", "seconds", "items/s");
    List<ScoringContext> ctx = contexts(book, items);
    for (String name : DETERMINISTIC) {
      print(out, ScorerBench.run(scorer(name), ctx, 500));
    }
    if (embeddingItems > 0) {
      print(out, ScorerBench.run(scorer("embedding_similarity"), contexts(book,
          embeddingItems), 20));
    }
    out.flush();
    return 0;
  }

  private static Scorer scorer(String name) {
    Map<String, Object> opts = switch (name) {
      case "regex" -> Map.of("regex", "\\b(19|20)\\d\\d\\b");
      case "latency" -> Map.of("max_ms", 1000);
      case "cost" -> Map.of("max_usd", "0.01");
      default -> Map.of();
    };
    return Scorers.byName(name, opts);
  }

  private static void print(PrintWriter out, ScorerBench.Row r) {
    out.printf(Locale.ROOT, "%-26s %8d %9.2f %,12.0f%n", r.scorer(), r.items(), r.seconds(),
        r.itemsPerSecond());
    out.flush();
  }

  static List<ScoringContext> contexts(List<JsonNode> book, int n) {
    List<ScoringContext> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      JsonNode e = book.get(i % book.size());
      JsonNode answer = i % 3 == 2 ? book.get((i * 7 + 1) % book.size()) : e;
      String passage = e.path("contexts").path(0).asText();
      EvalItem item = new EvalItem("i" + i, e.get("question"), e.get("answer"),
          List.of(passage), null);
      List<String> retrieved = List.of(answer.path("contexts").path(0).asText(), passage);
      TaskOutput o = new TaskOutput(answer.get("answer").asText(), null, null, retrieved,
          new BigDecimal("0.000123"), 250 + i % 1000, null, null);
      out.add(new ScoringContext(item, o, null));
    }
    return out;
  }

  private static List<JsonNode> book() throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    try (var in = new BufferedReader(new InputStreamReader(Simulator.class.getResourceAsStream(
        "answer-book-clapnq.jsonl"), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        out.add(json.readTree(line));
      }
    }
    return out;
  }
}
