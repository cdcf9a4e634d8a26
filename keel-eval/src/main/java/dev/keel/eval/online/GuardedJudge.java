package dev.keel.eval.online;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.eval.Judge;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Refuses to ask once the rule's daily cap is reached (checked when a scorer starts asking)
 * or while its judging is paused after failures in a row, remembering why ({@code cost_cap}
 * or {@code judge_failing}); tells the rule's breaker how each call it lets through went.
 */
final class GuardedJudge implements Judge {
  private final Judge inner;
  private final DailyCap cap;
  private final JudgeBreaker breaker;
  private final LocalDate day;
  final AtomicReference<String> refused = new AtomicReference<>();
  private volatile boolean scorerStarted;

  GuardedJudge(Judge inner, DailyCap cap, JudgeBreaker breaker, LocalDate day) {
    this.inner = inner;
    this.cap = cap;
    this.breaker = breaker;
    this.day = day;
  }

  /** A scorer is about to run: its first judge call is checked against the cap again. */
  void nextScorer() {
    refused.set(null);
    scorerStarted = false;
  }

  @Override
  public String model() {
    return inner.model();
  }

  @Override
  public JudgeReply ask(String prompt, JsonNode schema, boolean logprobs) {
    // The cap is checked at a scorer's first call only: a scorer that needs several calls and
    // has paid for some finishes, so its paid answers become a score instead of being dropped.
    if (!scorerStarted && !cap.allows(day)) {
      refused.set("cost_cap");
      throw new JudgeException("the rule's daily judge cost cap (max_daily_cost_usd) is "
          + "reached; judging resumes the next UTC day", null);
    }
    String paused = breaker.refusal();
    if (paused != null) {
      refused.set("judge_failing");
      throw new JudgeException(paused, null);
    }
    scorerStarted = true;
    JudgeReply reply;
    try {
      reply = inner.ask(prompt, schema, logprobs);
    } catch (JudgeException e) {
      if (!Thread.currentThread().isInterrupted()) {
        breaker.failed(e.getMessage());
      }
      throw e;
    }
    breaker.succeeded();
    return reply;
  }
}
