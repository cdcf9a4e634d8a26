package dev.keel.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scores and score configs at rest. Score writes usually travel with traces in a
 * {@link TraceBatch}; {@link #write} is for callers outside the trace writer.
 */
public interface ScoreStore {

  /** Upserts on (project, id); id, timestamp, trace and environment keep their first value. */
  void write(List<Score> scores);

  Optional<Score> find(String projectId, String scoreId);

  Page<Score> list(ScoreQuery q);

  /** Scores of each trace, oldest first; traces without any are absent. */
  Map<String, List<Score>> scoresOfTraces(String projectId, Collection<String> traceIds);

  /** Removes a score; false when there was none. */
  boolean delete(String projectId, String scoreId);

  void createConfig(ScoreConfig config);

  Optional<ScoreConfig> findConfig(String projectId, String configId);

  /** Configs, newest first. */
  Page<ScoreConfig> listConfigs(String projectId, int page, int limit);
}
