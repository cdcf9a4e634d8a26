package dev.keel.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A WHERE clause built from optional filters, with its bind values in order. */
final class Where {

  private final List<String> clauses = new ArrayList<>();
  private final List<Object> params = new ArrayList<>();

  /** Adds {@code clause} with its values. */
  Where add(String clause, Object... values) {
    clauses.add(clause);
    params.addAll(List.of(values));
    return this;
  }

  /** Adds {@code clause} only when {@code value} is not null. */
  Where addIf(Object value, String clause) {
    return value == null ? this : add(clause, value);
  }

  String sql() {
    return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
  }

  /** Binds the values from parameter 1 on; returns the next free index. */
  int bind(PreparedStatement ps) throws SQLException {
    int i = 1;
    for (Object p : params) {
      ps.setObject(i++, p);
    }
    return i;
  }
}
