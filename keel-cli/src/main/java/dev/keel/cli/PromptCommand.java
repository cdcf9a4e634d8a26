package dev.keel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.prompts.ChatMessage;
import dev.keel.prompts.NewPromptVersion;
import dev.keel.prompts.PromptFile;
import dev.keel.prompts.PromptFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code keel prompt}: prompts kept as files in Git, synced to a running Keel over HTTP. Files
 * own content; labels are deployment state in the registry, moved with promote and rollback.
 */
@Command(name = "prompt", mixinStandardHelpOptions = true,
    description = "Sync prompt files with Keel's registry; diff, promote, roll back, list.",
    subcommands = {PromptCommand.Sync.class, PromptCommand.Pull.class,
        PromptCommand.Diff.class, PromptCommand.Promote.class, PromptCommand.Rollback.class,
        PromptCommand.ListPrompts.class})
final class PromptCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where Keel is and the key to use; every subcommand takes these. */
  static final class Remote {
    @Option(names = "--url", defaultValue = "http://127.0.0.1:4000",
        description = "Keel's base URL (default: ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--key", defaultValue = "${env:KEEL_MASTER_KEY}",
        description = "the master key (default: $KEEL_MASTER_KEY)")
    String key;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    PromptClient client() {
      return new PromptClient(url, key);
    }

    PrintWriter out() {
      return spec.commandLine().getOut();
    }
  }

  @Command(name = "sync", mixinStandardHelpOptions = true,
      description = "Save a new version of every prompt file whose content (type, template,"
          + " config) differs from the registry's latest; unchanged files are left alone.")
  static final class Sync implements Callable<Integer> {
    @Mixin Remote remote;

    @Parameters(paramLabel = "DIR", description = "the folder of prompt files (*.md)")
    Path dir;

    @Option(names = "--check", description = "change nothing; exit 1 when any file differs"
        + " from the registry (for CI)")
    boolean check;

    @Option(names = {"-m", "--message"}, defaultValue = "keel prompt sync",
        description = "commit message of new versions (default: ${DEFAULT-VALUE})")
    String message;

    @Option(names = "--author", defaultValue = "${sys:user.name}",
        description = "author of new versions (default: the user name)")
    String author;

    @Option(names = "--label", description = "also put this label on each new version"
        + " (repeatable)")
    List<String> labels = new ArrayList<>();

    @Override
    public Integer call() {
      List<PromptFile> files = PromptFiles.readDir(dir);
      // Every file is validated before anything is saved, so a bad file saves nothing.
      List<NewPromptVersion> versions = files.stream()
          .map(f -> f.toNewVersion(labels, message, author)).toList();
      PromptClient client = remote.client();
      int changed = 0;
      int created = 0;
      for (int i = 0; i < files.size(); i++) {
        PromptFile f = files.get(i);
        JsonNode latest = client.get(f.name(), "latest").orElse(null);
        if (latest != null && latest.path("contentHash").asText().equals(f.contentHash())) {
          line("unchanged", f.name(), "v" + latest.path("version").asInt());
          continue;
        }
        changed++;
        if (check) {
          line("differs", f.name(), latest == null ? "not in the registry"
              : "file differs from v" + latest.path("version").asInt());
          continue;
        }
        JsonNode made = client.create(body(versions.get(i)));
        created += latest == null ? 1 : 0;
        line(latest == null ? "created" : "updated", f.name(), "v" + made.path("version")
            .asInt() + (latest == null ? "" : " (was v" + latest.path("version").asInt()
            + ")"));
      }
      return summary(files.size(), changed, created);
    }

    private int summary(int total, int changed, int created) {
      if (check) {
        remote.out().println(changed == 0 ? "check: all " + total + " prompt files match the"
            + " registry" : "check: " + changed + " of " + total + " prompt files differ from"
            + " the registry; run keel prompt sync");
        return changed == 0 ? 0 : 1;
      }
      remote.out().println("sync: " + created + " created, " + (changed - created)
          + " updated, " + (total - changed) + " unchanged");
      return 0;
    }

    private void line(String what, String name, String detail) {
      remote.out().printf("%-10s %s %s%n", what, name, detail);
    }

    static ObjectNode body(NewPromptVersion v) {
      ObjectNode o = PromptClient.JSON.createObjectNode().put("name", v.name())
          .put("type", v.type());
      if (v.type().equals("chat")) {
        var list = o.putArray("prompt");
        for (ChatMessage m : v.messages()) {
          list.addObject().put("role", m.role()).put("content", m.content());
        }
      } else {
        o.put("prompt", v.text());
      }
      try {
        o.set("config", PromptClient.JSON.readTree(v.configJson()));
      } catch (java.io.IOException e) {
        throw new IllegalStateException("config was validated as JSON", e);
      }
      o.set("labels", PromptClient.JSON.valueToTree(v.labels()));
      return o.put("commitMessage", v.commitMessage()).put("author", v.author());
    }
  }

  @Command(name = "pull", mixinStandardHelpOptions = true,
      description = "Write every prompt's latest version to DIR/<name>.md, with where each"
          + " label points, for review.")
  static final class Pull implements Callable<Integer> {
    @Mixin Remote remote;

    @Parameters(paramLabel = "DIR", description = "the folder to write into")
    Path dir;

    @Override
    public Integer call() {
      PromptClient client = remote.client();
      int n = 0;
      for (JsonNode summary : client.list()) {
        List<JsonNode> versions = client.versions(summary.path("name").asText());
        Path written = PromptFiles.write(dir, file(versions));
        remote.out().println("wrote " + written + " (v" + versions.get(versions.size() - 1)
            .path("version").asInt() + ")");
        n++;
      }
      remote.out().println("pull: " + n + " prompts");
      return 0;
    }

    private static PromptFile file(List<JsonNode> versions) {
      Map<String, Integer> labels = new TreeMap<>();
      versions.forEach(v -> v.path("labels").forEach(l -> labels.put(l.asText(),
          v.path("version").asInt())));
      JsonNode latest = versions.get(versions.size() - 1);
      boolean chat = latest.path("type").asText().equals("chat");
      List<ChatMessage> messages = null;
      if (chat) {
        messages = new ArrayList<>();
        for (JsonNode m : latest.path("prompt")) {
          messages.add(new ChatMessage(m.path("role").asText(), m.path("content").asText()));
        }
      }
      return new PromptFile(latest.path("name").asText(), latest.path("type").asText(),
          chat ? null : latest.path("prompt").asText(), messages,
          latest.path("config").toString(), labels, latest.path("version").asInt());
    }
  }

  @Command(name = "diff", mixinStandardHelpOptions = true,
      description = "Show a unified diff of type, config and template between two versions.")
  static final class Diff implements Callable<Integer> {
    @Mixin Remote remote;
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1", paramLabel = "V1") int from;
    @Parameters(index = "2", paramLabel = "V2") int to;

    @Override
    public Integer call() {
      JsonNode d = remote.client().diff(name, from, to);
      remote.out().print(d.path("changed").asBoolean() ? d.path("diff").asText()
          : name + ": v" + from + " and v" + to + " have the same content\n");
      return 0;
    }
  }

  @Command(name = "promote", mixinStandardHelpOptions = true,
      description = "Move a label (default production) onto a version.")
  static final class Promote implements Callable<Integer> {
    @Mixin Remote remote;
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1", paramLabel = "VERSION") int version;

    @Option(names = "--label", defaultValue = "production",
        description = "the label to move (default: ${DEFAULT-VALUE})")
    String label;

    @Option(names = "--gate", paramLabel = "EVAL_FILE",
        description = "promote only if this evaluation file passes with its task pinned to "
            + "VERSION of this prompt (see docs/eval.md)")
    Path gate;

    @Option(names = "--gate-out", paramLabel = "DIR",
        description = "where the gate's results and reports go (default: a temporary folder)")
    Path gateOut;

    @Override
    public Integer call() throws java.io.IOException {
      if (gate != null && !PromptGate.passes(gate, name, version, remote.url, remote.key,
          gateOut, remote.out())) {
        remote.out().println(label + " not moved: " + name + " v" + version
            + " did not pass " + gate);
        return 1;
      }
      JsonNode v = remote.client().promote(name, version, label);
      remote.out().println(label + " -> " + name + " v" + v.path("version").asInt());
      return 0;
    }
  }

  @Command(name = "rollback", mixinStandardHelpOptions = true,
      description = "Move a label (default production) back to the previous version that had"
          + " it.")
  static final class Rollback implements Callable<Integer> {
    @Mixin Remote remote;
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Option(names = "--label", defaultValue = "production",
        description = "the label to move back (default: ${DEFAULT-VALUE})")
    String label;

    @Override
    public Integer call() {
      JsonNode v = remote.client().rollback(name, label);
      remote.out().println(label + " -> " + name + " v" + v.path("version").asInt()
          + " (rolled back)");
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List prompts with their newest version and labels.")
  static final class ListPrompts implements Callable<Integer> {
    @Mixin Remote remote;

    @Override
    public Integer call() {
      List<JsonNode> all = remote.client().list();
      remote.out().printf("%-40s %-5s %-7s %s%n", "NAME", "TYPE", "LATEST", "LABELS");
      for (JsonNode p : all) {
        JsonNode versions = p.path("versions");
        var labels = new ArrayList<String>();
        p.path("labels").forEach(l -> labels.add(l.asText()));
        remote.out().printf("%-40s %-5s %-7s %s%n", p.path("name").asText(),
            p.path("type").asText(), "v" + versions.get(versions.size() - 1).asInt(),
            String.join(", ", labels));
      }
      return 0;
    }
  }
}
