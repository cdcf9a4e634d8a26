package dev.keel.examples.clapnq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The corpus: the 300 ClapNQ items of Keel's simulator answer book (question, human answer and
 * gold Wikipedia passage each; sources and licences in the simulator's answer-book-SOURCES.md).
 * The passages are what the retriever searches; the questions and answers make datasets.
 */
public record Passages(List<Item> items) {

  static final String RESOURCE = "/dev/keel/simulator/answer-book-clapnq.jsonl";

  public Passages {
    items = List.copyOf(items);
  }

  /** One ClapNQ item. */
  public record Item(String id, String question, String answer, String passage) {}

  /** Reads the answer book from the classpath (the keel-simulator jar). */
  public static Passages load() {
    try (InputStream in = Passages.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the classpath; add the "
            + "keel-simulator jar");
      }
      var mapper = new ObjectMapper();
      var items = new ArrayList<Item>();
      try (var lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line : lines.lines().toList()) {
          JsonNode b = mapper.readTree(line);
          items.add(new Item(b.path("id").asText(), b.path("question").asText(),
              b.path("answer").asText(), b.path("contexts").path(0).asText()));
        }
      }
      return new Passages(items);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The passages' texts, in the book's order (a passage's index is its document id). */
  public List<String> texts() {
    return items.stream().map(Item::passage).toList();
  }
}
