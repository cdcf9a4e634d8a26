package dev.keel.store;

import java.time.Instant;
import java.util.Objects;

/**
 * Filters of a prompt list; null filters match everything.
 *
 * @param projectId the project
 * @param name exact prompt name
 * @param label a label some version must carry
 * @param tag a tag the prompt must have
 * @param fromUpdatedAt prompts updated at or after
 * @param toUpdatedAt prompts updated before
 * @param page from 1
 * @param limit items per page
 */
public record PromptListQuery(String projectId, String name, String label, String tag,
    Instant fromUpdatedAt, Instant toUpdatedAt, int page, int limit) {

  public PromptListQuery {
    Objects.requireNonNull(projectId, "projectId");
    Queries.checkPaging(page, limit);
  }
}
