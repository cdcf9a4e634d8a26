package dev.keel.eval.online;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.eval.Judge;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Refuses to ask once the rule's daily cap is reached or while its judging is paused after
 * failures in a row, remembering why ({@code cost_cap} or {@code judge_failing}); tells the
 * rule's breaker how each call it lets through went.
 */
final class GuardedJudge implements Judge {
  private final Judge inner;
  private final DailyCap cap;
  private final JudgeBreaker breaker;
  private final LocalDate day;
  final AtomicReference<String> refused = new AtomicReference<>();

  GuardedJudge(Judge inner, DailyCap cap, JudgeBreaker breaker, LocalDate day) {
    this.inner = inner;
    this.cap = cap;
    this.breaker = breaker;
    this.day = day;
  }

  @Override
  public String model() {
    return inner.model();
  }

  @Override
  public JudgeReply ask(String prompt, JsonNode schema, boolean logprobs) {
    if (!cap.allows(day)) {
      refused.set("cost_cap");
      throw new JudgeException("the rule's daily judge cost cap (max_daily_cost_usd) is "
          + "reached; judging resumes the next UTC day", null);
    }
    String paused = breaker.refusal();
    if (paused != null) {
      refused.set("judge_failing");
      throw new JudgeException(paused, null);
    }
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
