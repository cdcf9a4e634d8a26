package dev.keel.store;

import java.util.List;

/** The SQL that differs between SQLite and PostgreSQL; everything else is shared. */
enum Dialect {
  SQLITE("sqlite") {
    @Override
    String jsonParam() {
      return "?";
    }

    @Override
    String tagsUnion() {
      // Keeps the stored order, then appends new tags not yet present.
      return "(SELECT json_group_array(value) FROM ("
          + "SELECT value, 0 AS g, key AS k FROM json_each(traces.tags) UNION ALL "
          + "SELECT value, 1, key FROM json_each(excluded.tags) "
          + "WHERE value NOT IN (SELECT value FROM json_each(traces.tags)) ORDER BY g, k))";
    }

    @Override
    void tagsFilter(String column, List<String> tags, Where w) {
      for (String tag : tags) {
        w.add("EXISTS (SELECT 1 FROM json_each(" + column + ") WHERE value = ?)", tag);
      }
    }
  },

  POSTGRESQL("postgresql") {
    @Override
    String jsonParam() {
      return "CAST(? AS jsonb)";
    }

    @Override
    String tagsUnion() {
      return "traces.tags || (SELECT COALESCE(jsonb_agg(v), '[]'::jsonb) "
          + "FROM jsonb_array_elements(excluded.tags) v "
          + "WHERE NOT traces.tags @> jsonb_build_array(v))";
    }

    @Override
    void tagsFilter(String column, List<String> tags, Where w) {
      if (!tags.isEmpty()) {
        // One containment test, served by the GIN index on tags.
        w.add(column + " @> CAST(? AS jsonb)", Json.writeTags(tags));
      }
    }
  };

  private final String id;

  Dialect(String id) {
    this.id = id;
  }

  /** "sqlite" or "postgresql", also the folder of the dialect's migrations. */
  String id() {
    return id;
  }

  /** A bind parameter that holds JSON text. */
  abstract String jsonParam();

  /** Expression for the tags of an upserted trace: stored tags plus new ones. */
  abstract String tagsUnion();

  /** Adds a condition that every tag is on the row's JSON array {@code column}. */
  abstract void tagsFilter(String column, List<String> tags, Where w);

  static Dialect of(String jdbcUrl) {
    return jdbcUrl.startsWith("jdbc:sqlite:") ? SQLITE : POSTGRESQL;
  }
}
