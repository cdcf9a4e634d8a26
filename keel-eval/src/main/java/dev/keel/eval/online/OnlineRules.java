package dev.keel.eval.online;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.store.OnlineEvalStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Online evaluation rules: those of keel.yaml (applied at every start, so the file stays their
 * source of truth) and those made over the API, all stored, so a restart keeps them. Every
 * change is validated first (an error names the field) and then reloads the evaluator.
 */
public final class OnlineRules {

  static final String CONFIG = "config";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(
      OnlineRules.class);
  static final String API = "api";

  private final OnlineEvalStore store;
  private final String projectId;
  private final OnlineEvaluator evaluator;
  private final Clock clock;

  public OnlineRules(OnlineEvalStore store, String projectId, OnlineEvaluator evaluator,
      Clock clock) {
    this.store = store;
    this.projectId = projectId;
    this.evaluator = evaluator;
    this.clock = clock;
  }

  /**
   * Stores the rules of keel.yaml's {@code online_eval.rules} (replacing stored rules of the
   * same names, and removing rules that came from the file and are no longer in it) and loads
   * every enabled rule. Throws {@link IllegalArgumentException} naming the
   * field of the first bad rule, before anything is stored.
   */
  public void start(List<JsonNode> configRules) {
    var parsed = new java.util.ArrayList<OnlineRule>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < configRules.size(); i++) {
      OnlineRule r = checked(OnlineRule.parse(configRules.get(i), "online_eval.rules[" + i
          + "]"), "online_eval.rules[" + i + "].");
      if (!names.add(r.name())) {
        throw new IllegalArgumentException("online_eval.rules[" + i + "].name: rule " + r.name()
            + " is declared twice");
      }
      parsed.add(r);
    }
    Instant now = clock.instant();
    for (OnlineRule r : parsed) {
      store.upsertRule(new OnlineEvalStore.RuleRow(projectId, r.name(), r.toJson().toString(),
          r.enabled(), CONFIG, now, now));
      evaluator.resume(r.name());
    }
    for (OnlineEvalStore.RuleRow row : store.rules(projectId)) {
      if (row.source().equals(CONFIG) && !names.contains(row.name())) {
        // It came from keel.yaml and is no longer there: the file is its source of truth.
        store.deleteRule(projectId, row.name());
        LOG.info("online eval rule {} removed: it is no longer in keel.yaml", row.name());
      }
    }
    evaluator.reload();
  }

  public List<View> list() {
    return store.rules(projectId).stream().map(this::view).toList();
  }

  public Optional<View> get(String name) {
    return store.rule(projectId, name).map(this::view);
  }

  /** Adds a rule; an existing name is an error naming it. */
  public View create(JsonNode body) {
    OnlineRule r = checked(OnlineRule.parse(body, ""), "");
    Instant now = clock.instant();
    if (!store.insertRule(new OnlineEvalStore.RuleRow(projectId, r.name(),
        r.toJson().toString(), r.enabled(), API, now, now))) {
      throw new IllegalArgumentException("name: an online eval rule named " + r.name()
          + " exists; change it with PUT /api/keel/online-eval/rules/" + r.name());
    }
    evaluator.resume(r.name());
    evaluator.reload();
    return get(r.name()).orElseThrow();
  }

  /**
   * Replaces rule {@code name} with {@code body} (whose {@code name}, when given, must be the
   * same); empty when there is no such rule.
   */
  public Optional<View> update(String name, JsonNode body) {
    ObjectNode copy = body instanceof ObjectNode o ? o.deepCopy() : null;
    if (copy == null) {
      throw new IllegalArgumentException("the body must be a JSON object (a rule)");
    }
    if (copy.hasNonNull("name") && !name.equals(copy.get("name").asText())) {
      throw new IllegalArgumentException("name: " + copy.get("name") + " differs from the rule"
          + " in the path (" + name + "); a rule cannot be renamed, create a new one");
    }
    copy.put("name", name);
    OnlineRule r = checked(OnlineRule.parse(copy, ""), "");
    if (!store.updateRule(projectId, name, r.toJson().toString(), r.enabled(), API,
        clock.instant())) {
      return Optional.empty();
    }
    evaluator.resume(name);
    evaluator.reload();
    return get(name);
  }

  /**
   * Turns a rule on or off; empty when there is no such rule. Enabling a rule also resumes
   * judging it paused after judge failures.
   */
  public Optional<View> setEnabled(String name, boolean enabled) {
    Optional<OnlineEvalStore.RuleRow> row = store.rule(projectId, name);
    if (row.isEmpty()) {
      return Optional.empty();
    }
    OnlineRule r = parse(row.get()).withEnabled(enabled);
    store.updateRule(projectId, name, r.toJson().toString(), enabled, row.get().source(),
        clock.instant());
    if (enabled) {
      evaluator.resume(name);
    }
    evaluator.reload();
    return get(name);
  }

  /** Removes a rule (the scores it stored stay on their traces). */
  public boolean delete(String name) {
    boolean removed = store.deleteRule(projectId, name);
    if (removed) {
      evaluator.reload();
    }
    return removed;
  }

  /** Outcomes, newest first, optionally of one rule and one trace. */
  public List<OnlineEvalStore.Result> results(String rule, String traceId, int limit) {
    return store.results(projectId, rule, traceId, limit);
  }

  /** A rule that names a judge must name one the gateway can route; errors name the field. */
  private OnlineRule checked(OnlineRule r, String prefix) {
    if (r.judgeModel() != null) {
      try {
        evaluator.checkJudge(r.judgeModel());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(prefix + "judge: " + e.getMessage(), e);
      }
    }
    return r;
  }

  private View view(OnlineEvalStore.RuleRow row) {
    OnlineRule r = parse(row);
    BigDecimal spent = BigDecimal.valueOf(store.spend(projectId, row.name(),
        LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC))).movePointLeft(12)
        .stripTrailingZeros();
    boolean capped = r.maxDailyCostUsd() != null && spent.compareTo(r.maxDailyCostUsd()) >= 0;
    return new View(r.withEnabled(row.enabled()), row.source(), row.createdAt(),
        row.updatedAt(), new BigDecimal(spent.toPlainString()), capped,
        evaluator.judgeHealth(row.name()));
  }

  private static OnlineRule parse(OnlineEvalStore.RuleRow row) {
    try {
      return OnlineRule.parse(new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(row.definition()), "");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("stored online eval rule " + row.name()
          + " is not JSON", e);
    }
  }

  /**
   * A rule as the API shows it.
   *
   * @param source {@code config} (keel.yaml, re-applied at start) or {@code api}
   * @param spentTodayUsd judge spend of the current UTC day
   * @param capReached true when that spend reached the rule's daily cap
   * @param judge the judge's recent failures, and whether they paused the rule's judging
   */
  public record View(OnlineRule rule, String source, Instant createdAt, Instant updatedAt,
      BigDecimal spentTodayUsd, boolean capReached, JudgeHealth judge) {

    /** Why the rule's judging is paused now: cost_cap, judge_failing, or null. */
    public String pauseReason() {
      return capReached ? "cost_cap" : judge.paused() ? "judge_failing" : null;
    }
  }
}
