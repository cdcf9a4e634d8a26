package dev.keel.store;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Online evaluation at rest: rules (their definition is JSON the evaluator parses), each
 * scorer's outcome per rule and trace, and judge spend per rule and UTC day.
 */
public interface OnlineEvalStore {

  /** Rules of a project, by name. */
  List<RuleRow> rules(String projectId);

  Optional<RuleRow> rule(String projectId, String name);

  /** Adds a rule; false (and nothing changed) when one with its name exists. */
  boolean insertRule(RuleRow rule);

  /** Adds or replaces a rule (its creation time stays). */
  void upsertRule(RuleRow rule);

  /** Replaces a rule's definition and enabled flag; false when there is no such rule. */
  boolean updateRule(String projectId, String name, String definition, boolean enabled,
      String source, Instant now);

  /** Turns a rule on or off; false when there is no such rule. */
  boolean setEnabled(String projectId, String name, boolean enabled, Instant now);

  /** Removes a rule (its results and spend stay); false when there was none. */
  boolean deleteRule(String projectId, String name);

  /** True when the rule has recorded any outcome for the trace. */
  boolean evaluated(String projectId, String rule, String traceId);

  /** Records outcomes, replacing earlier ones of the same rule, trace and scorer. */
  void writeResults(List<Result> results);

  /**
   * Outcomes, newest first.
   *
   * @param rule only this rule's, or null for all
   * @param traceId only this trace's, or null for all
   */
  List<Result> results(String projectId, String rule, String traceId, int limit);

  /** Adds judge spend to a rule's day; returns the day's total in pico-dollars. */
  long addSpend(String projectId, String rule, LocalDate day, long pico);

  /** A rule's judge spend on a day in pico-dollars (0 when none). */
  long spend(String projectId, String rule, LocalDate day);

  /**
   * A stored rule.
   *
   * @param definition the rule as a JSON object
   * @param source {@code config} for a rule of keel.yaml, {@code api} for one made over HTTP
   */
  record RuleRow(String projectId, String name, String definition, boolean enabled,
      String source, Instant createdAt, Instant updatedAt) {
    public RuleRow {
      Objects.requireNonNull(projectId, "projectId");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(definition, "definition");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(createdAt, "createdAt");
      Objects.requireNonNull(updatedAt, "updatedAt");
    }
  }

  /**
   * One scorer's outcome on one trace under one rule.
   *
   * @param status {@code scored} (a score was stored, {@code scoreId}), {@code undetermined}
   *     (the scorer or judge could not tell; {@code reason} says why) or {@code skipped} (the
   *     rule's daily cost cap was reached)
   * @param value the score, or null when none was stored
   */
  record Result(String projectId, String rule, String traceId, String scorer, String status,
      Double value, String reason, String scoreId, long judgeCostPico, Instant createdAt) {
    public Result {
      Objects.requireNonNull(projectId, "projectId");
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(traceId, "traceId");
      Objects.requireNonNull(scorer, "scorer");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(createdAt, "createdAt");
    }
  }
}
