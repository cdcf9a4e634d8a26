package dev.keel.eval.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's results: its {@link RunInfo} and one {@link ItemResult} per finished item. On disk a
 * results file is JSON lines, the run first ({@code {"run": ...}}), then one {@code {"item":
 * ...}} line appended as each item finishes, so an interrupted run loses at most the items in
 * flight. Commit one to serve as a baseline.
 */
public record RunResults(RunInfo info, List<ItemResult> items) {

  static final ObjectMapper JSON = new ObjectMapper();

  public RunResults {
    items = List.copyOf(items);
  }

  /** Items by id; a later line for the same id (a re-run of a failed item) wins. */
  public Map<String, ItemResult> byId() {
    Map<String, ItemResult> m = new LinkedHashMap<>();
    items.forEach(i -> m.put(i.id(), i));
    return m;
  }

  /**
   * Reads a results file. A last line cut short by an interruption is ignored; any other line
   * that is not a result is an error naming its number.
   */
  public static RunResults read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read results file " + file + ": "
          + e.getMessage());
    }
    RunInfo info = null;
    List<ItemResult> items = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      JsonNode n = parse(line);
      if (n == null && i == lines.size() - 1) {
        break;
      }
      if (n != null && i == 0 && n.has("run")) {
        info = RunInfo.fromJson(n.get("run"));
      } else if (n != null && info != null && n.has("item")) {
        items.add(ItemResult.fromJson(n.get("item")));
      } else {
        throw new IllegalArgumentException(file + " line " + (i + 1) + " is not a Keel eval"
            + " result" + (i == 0 ? " (the first line must be the run)" : ""));
      }
    }
    if (info == null) {
      throw new IllegalArgumentException(file + " is empty: not a Keel eval results file");
    }
    return new RunResults(info, items);
  }

  /** Starts a results file with the run's line, replacing any file there. */
  static Appender create(Path file, RunInfo info) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, line("run", info.toJson()), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return new Appender(file);
  }

  /** Replaces a results file with these results (written aside, then moved over it). */
  static void rewrite(Path file, RunResults results) {
    StringBuilder b = new StringBuilder(line("run", results.info().toJson()));
    results.items().forEach(i -> b.append(line("item", i.toJson())));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, b, StandardCharsets.UTF_8);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Appends to an existing results file (resume). A torn last line is cut off first. */
  static Appender append(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      if (!text.isEmpty() && !text.endsWith("\n")) {
        Files.writeString(file, text.substring(0, text.lastIndexOf('\n') + 1),
            StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return new Appender(file);
  }

  private static JsonNode parse(String line) {
    try {
      JsonNode n = JSON.readTree(line);
      return n != null && n.isObject() ? n : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String line(String kind, JsonNode value) {
    ObjectNode n = JSON.createObjectNode();
    n.set(kind, value);
    return n + "\n";
  }

  /** Appends item lines; each line is written and flushed whole, under a lock. */
  static final class Appender implements AutoCloseable {
    private final BufferedWriter out;
    private final Path file;

    private Appender(Path file) {
      this.file = file;
      try {
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot append to " + file, e);
      }
    }

    synchronized void add(ItemResult r) {
      try {
        out.write(line("item", r.toJson()));
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot append to " + file, e);
      }
    }

    @Override
    public synchronized void close() {
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot close " + file, e);
      }
    }
  }
}
