package dev.keel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.eval.EvalItem;
import dev.keel.eval.dataset.DatasetClient;
import dev.keel.eval.dataset.DatasetFiles;
import dev.keel.eval.dataset.ItemHash;
import dev.keel.eval.dataset.ParsedDataset;
import dev.keel.eval.dataset.ParsedItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel dataset}: datasets on a running Keel, and dataset files kept in Git. */
@Command(name = "dataset", mixinStandardHelpOptions = true,
    description = "Import, export, sync, list and show datasets on a running Keel.",
    subcommands = {DatasetCommand.Import.class, DatasetCommand.Export.class,
        DatasetCommand.Sync.class, DatasetCommand.ListDatasets.class, DatasetCommand.Show.class,
        DatasetCommand.AddFromTrace.class})
final class DatasetCommand implements Runnable {

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Add a JSONL or CSV file's items to a dataset as one new version.")
  static final class Import implements Runnable {
    @Mixin KeelApiClient api;
    @Parameters(index = "0", description = "the .jsonl or .csv file") Path file;
    @Option(names = "--dataset", description = "the dataset (default: the file name)")
    String dataset;
    @Option(names = "--skip-bad-lines", description = "import the good lines of a broken file")
    boolean skipBadLines;
    @Option(names = "--replace", description = "remove the dataset's items not in the file")
    boolean replace;

    @Override
    public void run() {
      String name = dataset == null ? nameOf(file) : dataset;
      JsonNode change = upload(api, name, read(file, skipBadLines), replace);
      System.out.println(describe(name, change));
    }
  }

  @Command(name = "sync", mixinStandardHelpOptions = true,
      description = "Make each DIR/<name>.jsonl or .csv the content of dataset <name>; a file"
          + " that did not change makes no new version.")
  static final class Sync implements Runnable {
    @Mixin KeelApiClient api;
    @Parameters(index = "0", description = "the folder of dataset files") Path dir;
    @Option(names = "--skip-bad-lines", description = "sync the good lines of a broken file")
    boolean skipBadLines;

    @Override
    public void run() {
      List<Path> files = datasetFiles(dir);
      // Every file is read before anything is sent, so a broken file changes no dataset.
      var parsed = files.stream().map(f -> read(f, skipBadLines)).toList();
      for (int i = 0; i < files.size(); i++) {
        String name = nameOf(files.get(i));
        System.out.println(describe(name, upload(api, name, parsed.get(i), true))
            + "  file sha256 " + fileHash(files.get(i)));
      }
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write a dataset's items (at a version) to a JSONL or CSV file.")
  static final class Export implements Runnable {
    @Mixin KeelApiClient api;
    @Parameters(index = "0", description = "the dataset") String dataset;
    @Parameters(index = "1", description = "the .jsonl or .csv file to write") Path file;
    @Option(names = "--version", description = "the version (default: the latest)")
    Integer version;

    @Override
    public void run() {
      List<EvalItem> items = client(api).items(dataset, version);
      DatasetFiles.write(file, items);
      System.out.println("wrote " + items.size() + " items of " + dataset + " to " + file);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List datasets.")
  static final class ListDatasets implements Runnable {
    @Mixin KeelApiClient api;

    @Override
    public void run() {
      System.out.printf("%-32s  %7s  %-24s  %s%n", "NAME", "VERSION", "UPDATED", "DESCRIPTION");
      for (int page = 1; ; page++) {
        JsonNode got = api.get("/api/public/v2/datasets?limit=100&page=" + page);
        for (JsonNode d : got.path("data")) {
          System.out.printf("%-32s  %7d  %-24s  %s%n", d.path("name").asText(),
              d.path("version").asInt(), d.path("updatedAt").asText(),
              d.path("description").asText(""));
        }
        if (page >= got.path("meta").path("totalPages").asInt()) {
          return;
        }
      }
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Show a dataset and its items (at a version).")
  static final class Show implements Runnable {
    @Mixin KeelApiClient api;
    @Parameters(index = "0", description = "the dataset") String dataset;
    @Option(names = "--version", description = "the version (default: the latest)")
    Integer version;
    @Option(names = "--limit", defaultValue = "20", description = "items to print (default 20)")
    int limit;

    @Override
    public void run() {
      JsonNode d = api.get("/api/public/v2/datasets/" + encode(dataset));
      List<EvalItem> items = client(api).items(dataset, version);
      System.out.println(dataset + "  version " + (version == null ? d.path("version").asInt()
          : version) + "  " + items.size() + " items  " + d.path("description").asText(""));
      items.stream().limit(limit).forEach(i -> System.out.printf("  %-20s  %s  ->  %s%n",
          i.id(), clip(i.input()), clip(i.expectedOutput())));
    }
  }

  @Command(name = "add-from-trace", mixinStandardHelpOptions = true,
      description = "Add traces as items: the trace's input and output become the item's"
          + " input and expected output.")
  static final class AddFromTrace implements Runnable {
    @Mixin KeelApiClient api;
    @Parameters(index = "0", description = "the dataset (created when missing)") String dataset;
    @Parameters(index = "1..*", arity = "1..*", description = "trace ids") List<String> traces;

    @Override
    public void run() {
      ObjectNode body = KeelApiClient.JSON.createObjectNode();
      traces.forEach(body.putArray("traceIds")::add);
      JsonNode change = api.post("/api/keel/datasets/" + encode(dataset)
          + "/items-from-traces", body);
      System.out.println(describe(dataset, change));
    }
  }

  private static ParsedDataset read(Path file, boolean skipBadLines) {
    ParsedDataset parsed;
    try {
      parsed = DatasetFiles.parse(file, skipBadLines);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage()
          + "; nothing was imported (--skip-bad-lines imports the good lines)");
    }
    parsed.skipped().forEach(s -> System.err.println("skipped " + file + ": " + s));
    return parsed;
  }

  // Ids the file does not give derive from the dataset and the content: item ids are unique
  // per project, and the same content under the same name must map to the same item.
  private static JsonNode upload(KeelApiClient api, String name, ParsedDataset parsed,
      boolean replace) {
    ObjectNode body = KeelApiClient.JSON.createObjectNode().put("replace", replace);
    ArrayNode items = body.putArray("items");
    for (ParsedItem p : parsed.items()) {
      ObjectNode n = DatasetFiles.toJson(p.item());
      n.put("id", p.explicitId() ? p.item().id()
          : "h-" + ItemHash.sha256(name + "\n" + ItemHash.of(p.item())).substring(0, 16));
      n.set("expectedOutput", n.remove("expected_output"));
      items.add(n);
    }
    return api.post("/api/keel/datasets/" + encode(name) + "/items", body);
  }

  private static String describe(String name, JsonNode change) {
    if (!change.path("changed").asBoolean()) {
      return name + ": unchanged at version " + change.path("version").asInt() + " ("
          + change.path("unchanged").asInt() + " items)";
    }
    return name + ": version " + change.path("version").asInt() + " (" + change.path("added")
        .asInt() + " added, " + change.path("updated").asInt() + " updated, "
        + change.path("removed").asInt() + " removed, " + change.path("unchanged").asInt()
        + " unchanged)";
  }

  private static List<Path> datasetFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("not a folder: " + dir);
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jsonl") || n.endsWith(".csv");
      }).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static String fileHash(Path file) {
    try {
      return ItemHash.sha256(Files.readString(file, StandardCharsets.UTF_8)).substring(0, 12);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String nameOf(Path file) {
    String n = file.getFileName().toString();
    return n.substring(0, n.lastIndexOf('.'));
  }

  private static DatasetClient client(KeelApiClient api) {
    if (api.key == null || api.key.isBlank()) {
      throw new IllegalArgumentException("no master key: set KEEL_MASTER_KEY or pass --key");
    }
    return new DatasetClient(URI.create(api.url), api.key);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String clip(JsonNode n) {
    String s = n == null ? "-" : n.isTextual() ? n.asText() : n.toString();
    s = s.replace('\n', ' ');
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }
}
