package dev.keel.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Prompt versions at rest. Versions are immutable and numbered 1, 2, 3... per prompt name; a
 * label points at one version of its prompt at a time, and every move of a label is kept so
 * that a label can be rolled back. Implementations number concurrent creates consecutively.
 */
public interface PromptStore {

  /**
   * Stores the next version of {@code draft.name()} and moves {@code labels} (which always
   * include {@code latest}) onto it, in one transaction.
   *
   * @throws dev.keel.core.error.KeelException INVALID_REQUEST when the prompt exists with
   *     another type
   */
  StoredPrompt create(String projectId, PromptDraft draft, List<String> labels);

  /** One version by number. */
  Optional<StoredPrompt> find(String projectId, String name, int version);

  /** The version that carries {@code label}. */
  Optional<StoredPrompt> findByLabel(String projectId, String name, String label);

  /** Every version of a prompt, oldest first; empty when the prompt does not exist. */
  List<StoredPrompt> versions(String projectId, String name);

  /**
   * Moves each of {@code labels} onto {@code version}, taking it off whatever version had it;
   * the version keeps the labels it had. Empty when the version does not exist.
   */
  Optional<StoredPrompt> addLabels(String projectId, String name, int version,
      List<String> labels, Instant at);

  /** The highest version below {@code before} that ever carried {@code label}. */
  OptionalInt previousWithLabel(String projectId, String name, String label, int before);

  /** Prompt names with their versions and labels, most recently updated first. */
  Page<PromptSummary> list(PromptListQuery q);
}
