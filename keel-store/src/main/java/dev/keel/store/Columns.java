package dev.keel.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collections;
import java.util.List;

/**
 * The columns an upsert writes, in binding order, with their PostgreSQL types, and the two
 * ways rows are sent: one {@code VALUES} row per execution (SQLite), or one array per column
 * for all rows at once (PostgreSQL: a single execution of a statement whose text does not
 * depend on the number of rows, so the server parses and plans it once per connection).
 * A row's values are Java objects in column order: String, Long, Integer, Boolean or null.
 */
record Columns(List<String> names, List<String> types) {

  /** Columns from {@code "name type"} pairs; a type is text, jsonb, int8, int4 or bool. */
  static Columns of(String... specs) {
    var names = new java.util.ArrayList<String>();
    var types = new java.util.ArrayList<String>();
    for (String spec : specs) {
      String[] parts = spec.split(" ");
      names.add(parts[0]);
      types.add(parts[1]);
    }
    return new Columns(List.copyOf(names), List.copyOf(types));
  }

  /** {@code INSERT INTO table (columns) VALUES (?, ...)}, for {@link #bind}. */
  String insertValues(String table) {
    return "INSERT INTO " + table + " (" + String.join(", ", names) + ") VALUES ("
        + String.join(", ", Collections.nCopies(names.size(), "?")) + ")";
  }

  /**
   * PostgreSQL: {@code INSERT INTO table (columns) SELECT ... FROM unnest(arrays)}, the rows
   * in array order, for {@link #bindArrays}. jsonb columns travel as text and are cast.
   */
  String insertUnnest(String table) {
    var select = new java.util.ArrayList<String>();
    var arrays = new java.util.ArrayList<String>();
    for (int i = 0; i < names.size(); i++) {
      boolean json = types.get(i).equals("jsonb");
      select.add(json ? "CAST(u." + names.get(i) + " AS jsonb)" : "u." + names.get(i));
      arrays.add("?::" + (json ? "text" : types.get(i)) + "[]");
    }
    return "INSERT INTO " + table + " (" + String.join(", ", names) + ") SELECT "
        + String.join(", ", select) + " FROM unnest(" + String.join(", ", arrays) + ") AS u("
        + String.join(", ", names) + ")";
  }

  /** Binds one row's values from parameter 1 on. */
  static void bind(PreparedStatement ps, Object[] row) throws SQLException {
    for (int i = 0; i < row.length; i++) {
      switch (row[i]) {
        case null -> ps.setNull(i + 1, Types.NULL);
        case String s -> ps.setString(i + 1, s);
        case Long l -> ps.setLong(i + 1, l);
        case Integer n -> ps.setInt(i + 1, n);
        case Boolean b -> ps.setBoolean(i + 1, b);
        default -> throw new IllegalArgumentException("unsupported value: " + row[i].getClass());
      }
    }
  }

  /**
   * Binds {@code rows} as one array per column, from parameter {@code first} on; returns the
   * next parameter's index.
   */
  int bindArrays(Connection c, PreparedStatement ps, int first, List<Object[]> rows)
      throws SQLException {
    for (int col = 0; col < names.size(); col++) {
      Object[] values = switch (types.get(col)) {
        case "int8" -> new Long[rows.size()];
        case "int4" -> new Integer[rows.size()];
        case "bool" -> new Boolean[rows.size()];
        default -> new String[rows.size()];
      };
      for (int r = 0; r < rows.size(); r++) {
        values[r] = rows.get(r)[col];
      }
      String type = types.get(col).equals("jsonb") ? "text" : types.get(col);
      Array array = c.createArrayOf(type, values);
      ps.setArray(first + col, array);
    }
    return first + names.size();
  }
}
