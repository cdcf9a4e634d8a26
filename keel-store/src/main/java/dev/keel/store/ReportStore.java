package dev.keel.store;

import java.time.Instant;
import java.util.List;

/** Aggregates over stored observations for reports. */
public interface ReportStore {

  /** Per version of prompt {@code name}, for generations that started in [from, to). */
  List<PromptVersionStats> promptVersions(String projectId, String name, Instant from,
      Instant to);
}
