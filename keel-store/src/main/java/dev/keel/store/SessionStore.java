package dev.keel.store;

import java.util.List;
import java.util.Optional;

/** Sessions, read from the traces that name them. */
public interface SessionStore {

  Page<SessionSummary> list(SessionQuery q);

  Optional<SessionSummary> find(String projectId, String sessionId);

  /** The session's traces, oldest first. */
  List<TraceSummary> traces(String projectId, String sessionId);
}
