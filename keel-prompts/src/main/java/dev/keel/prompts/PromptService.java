package dev.keel.prompts;

import dev.keel.store.Page;
import dev.keel.store.PromptDraft;
import dev.keel.store.PromptListQuery;
import dev.keel.store.PromptStore;
import dev.keel.store.PromptSummary;
import dev.keel.store.StoredPrompt;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The prompt registry: immutable versions, labels that move between them, promote, roll back
 * and diff. Holds no state of its own (the store numbers versions, also across Keel instances
 * sharing PostgreSQL), so any number of instances may share one store.
 */
public final class PromptService {

  private final PromptStore store;
  private final Clock clock;

  public PromptService(PromptStore store, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Saves {@code v} as the next version, with {@code latest} and its own labels. */
  public PromptVersion create(String projectId, NewPromptVersion v) {
    var labels = new ArrayList<String>();
    labels.add(PromptRules.LATEST);
    v.labels().stream().filter(l -> !l.equals(PromptRules.LATEST)).forEach(labels::add);
    String body = v.type().equals("chat") ? PromptContent.messagesJson(v.messages()) : v.text();
    var draft = new PromptDraft(v.name(), v.type(), body, v.configJson(), v.tags(),
        v.commitMessage(), v.author(), v.contentHash(), clock.instant());
    return map(store.create(projectId, draft, labels));
  }

  /**
   * One version, by label or by number; the {@code production} label when both are null.
   *
   * @throws PromptException 400 when both are given, or the name or label is malformed
   */
  public Optional<PromptVersion> get(String projectId, String name, String label,
      Integer version) {
    PromptRules.checkName(name);
    if (label != null && version != null) {
      throw PromptException.invalid("give either label or version, not both", "label");
    }
    if (version != null) {
      return store.find(projectId, name, version).map(PromptService::map);
    }
    String l = label == null ? PromptRules.PRODUCTION : PromptRules.checkLabel(label);
    return store.findByLabel(projectId, name, l).map(PromptService::map);
  }

  /** As {@link #get}, but a 404 naming what was looked for when there is no such version. */
  public PromptVersion require(String projectId, String name, String label, Integer version) {
    return get(projectId, name, label, version).orElseThrow(() -> PromptException.notFound(
        "Prompt not found: '" + name + "' with " + (version != null ? "version " + version
            : "label '" + (label == null ? PromptRules.PRODUCTION : label) + "'")));
  }

  /** Every version, oldest first; empty when there is no such prompt. */
  public List<PromptVersion> versions(String projectId, String name) {
    PromptRules.checkName(name);
    return store.versions(projectId, name).stream().map(PromptService::map).toList();
  }

  /**
   * Moves {@code labels} onto {@code version} (Langfuse's PATCH): each leaves the version that
   * had it; the version keeps its other labels.
   *
   * @throws PromptException 400 for {@code latest} or a malformed label; 404 when the version
   *     does not exist
   */
  public PromptVersion setLabels(String projectId, String name, int version,
      List<String> labels) {
    PromptRules.checkName(name);
    List<String> checked = PromptRules.checkLabels(labels);
    if (checked.contains(PromptRules.LATEST)) {
      throw PromptException.invalid("the latest label is set on each new version and cannot"
          + " be moved by hand", "labels");
    }
    return store.addLabels(projectId, name, version, checked, clock.instant())
        .map(PromptService::map).orElseThrow(() -> missingVersion(projectId, name, version));
  }

  /** Puts {@code label} ({@code production} when null) on {@code version}. */
  public PromptVersion promote(String projectId, String name, int version, String label) {
    return setLabels(projectId, name, version,
        List.of(label == null ? PromptRules.PRODUCTION : label));
  }

  /**
   * Moves {@code label} ({@code production} when null) back to the highest lower version that
   * carried it before; calling it again goes further back.
   *
   * @throws PromptException 404 when no version has the label; 400 when none had it earlier
   */
  public PromptVersion rollback(String projectId, String name, String label) {
    String l = PromptRules.checkLabel(label == null ? PromptRules.PRODUCTION : label);
    if (l.equals(PromptRules.LATEST)) {
      throw PromptException.invalid("latest always marks the newest version; roll back"
          + " another label", "label");
    }
    PromptVersion current = require(projectId, name, l, null);
    int previous = store.previousWithLabel(projectId, name, l, current.version())
        .orElseThrow(() -> PromptException.invalid("label '" + l + "' of prompt '" + name
            + "' was on no version before " + current.version() + "; nothing to roll back to",
            "label"));
    return setLabels(projectId, name, previous, List.of(l));
  }

  /** A unified diff of type, config and template from version {@code from} to {@code to}. */
  public PromptDiff diff(String projectId, String name, int from, int to) {
    PromptVersion a = require(projectId, name, null, from);
    PromptVersion b = require(projectId, name, null, to);
    String unified = UnifiedDiff.of(name + " v" + from, DiffText.lines(a), name + " v" + to,
        DiffText.lines(b));
    return new PromptDiff(name, from, to, !unified.isEmpty(), unified);
  }

  /** Prompt names with versions and labels, most recently updated first. */
  public Page<PromptSummary> list(PromptListQuery q) {
    return store.list(q);
  }

  /** The prompt's tags; empty when it has none or does not exist. */
  public List<String> tags(String projectId, String name) {
    return store.findByLabel(projectId, name, PromptRules.LATEST).map(StoredPrompt::tags)
        .orElse(List.of());
  }

  private PromptException missingVersion(String projectId, String name, int version) {
    if (store.versions(projectId, name).isEmpty()) {
      return PromptException.notFound("Prompt not found: '" + name + "'");
    }
    return PromptException.notFound("Prompt not found: '" + name + "' with version "
        + version);
  }

  static PromptVersion map(StoredPrompt s) {
    boolean chat = s.type().equals("chat");
    return new PromptVersion(s.name(), s.version(), s.type(), chat ? null : s.body(),
        chat ? PromptContent.readMessages(s.body()) : null, s.configJson(), s.labels(),
        s.commitMessage(), s.author(), s.createdAt(), s.contentHash());
  }
}
