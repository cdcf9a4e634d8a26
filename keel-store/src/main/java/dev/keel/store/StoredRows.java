package dev.keel.store;

import dev.keel.core.trace.Observation;
import dev.keel.core.trace.Trace;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Loads the stored rows a batch will merge into, inside the batch's transaction. On PostgreSQL
 * the rows are locked (FOR UPDATE) so that two Keel instances merging into the same row take
 * turns instead of losing one side's fields; SQLite has a single writer already.
 */
final class StoredRows {

  private static final int CHUNK = 500;

  private final Dialect dialect;

  StoredRows(Dialect dialect) {
    this.dialect = dialect;
  }

  Map<String, Trace> traces(Connection c, List<Trace> batch) throws SQLException {
    Map<String, Trace> out = new HashMap<>();
    load(c, "SELECT " + Rows.TRACE_COLUMNS + " FROM traces t WHERE t.project_id = ? AND t.id",
        group(batch, Trace::projectId, Trace::id), rs -> {
          Trace t = Rows.summary(rs).trace();
          out.put(RowMerges.key(t.projectId(), t.id()), t);
        });
    return out;
  }

  Map<String, RowMerges.ObservationRow> observations(Connection c, List<Observation> creates,
      List<Observation> updates) throws SQLException {
    var all = new ArrayList<Observation>(creates);
    all.addAll(updates);
    Map<String, RowMerges.ObservationRow> out = new HashMap<>();
    load(c, "SELECT " + Rows.OBSERVATION_COLUMNS + ", o.provisional FROM observations o"
        + " WHERE o.project_id = ? AND o.id", group(all, Observation::projectId,
            Observation::id), rs -> {
          Observation o = Rows.observation(rs);
          out.put(RowMerges.key(o.projectId(), o.id()),
              new RowMerges.ObservationRow(o, rs.getBoolean("provisional")));
        });
    return out;
  }

  private <T> Map<String, List<String>> group(List<T> rows, Function<T, String> project,
      Function<T, String> id) {
    var grouped = new TreeMap<String, TreeSet<String>>();
    rows.forEach(r -> grouped.computeIfAbsent(project.apply(r), k -> new TreeSet<>())
        .add(id.apply(r)));
    var out = new TreeMap<String, List<String>>();
    grouped.forEach((p, ids) -> out.put(p, new ArrayList<>(ids)));
    return out;
  }

  private void load(Connection c, String select, Map<String, List<String>> idsByProject,
      RowSink sink) throws SQLException {
    String lock = dialect == Dialect.POSTGRESQL ? " FOR UPDATE" : "";
    for (var e : idsByProject.entrySet()) {
      List<String> ids = e.getValue();
      for (int from = 0; from < ids.size(); from += CHUNK) {
        List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
        String sql = select + (dialect == Dialect.POSTGRESQL ? " = ANY(?)"
            : " IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")") + lock;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setString(1, e.getKey());
          if (dialect == Dialect.POSTGRESQL) {
            ps.setArray(2, c.createArrayOf("text", chunk.toArray()));
          } else {
            for (int i = 0; i < chunk.size(); i++) {
              ps.setString(i + 2, chunk.get(i));
            }
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              sink.accept(rs);
            }
          }
        }
      }
    }
  }

  /** Takes the current row. */
  @FunctionalInterface
  private interface RowSink {
    void accept(ResultSet rs) throws SQLException;
  }
}
