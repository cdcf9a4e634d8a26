package dev.keel.store;

/** Checks shared by the query records. */
final class Queries {

  /** The most items one page may hold, as in Langfuse's read API. */
  static final int MAX_LIMIT = 1000;

  private Queries() {
  }

  static void checkPaging(int page, int limit) {
    if (page < 1) {
      throw new IllegalArgumentException("page must be at least 1: " + page);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ": " + limit);
    }
  }
}
