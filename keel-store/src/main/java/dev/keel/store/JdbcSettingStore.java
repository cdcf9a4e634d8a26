package dev.keel.store;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Settings and run-time prices in the {@code settings} and {@code price_overrides} tables
 * (migration V10). Rates are kept as decimal text, so SQLite stores them exactly too.
 */
final class JdbcSettingStore implements SettingStore {

  private static final String PRICE_COLUMNS = "model, provider, input_per_million,"
      + " output_per_million, cache_read_per_million, cache_write_per_million, updated_us,"
      + " updated_by";

  private final Db db;

  JdbcSettingStore(Db db) {
    this.db = db;
  }

  @Override
  public Optional<String> get(String name) {
    String sql = "SELECT value FROM settings WHERE name = ?";
    return db.read(c -> JdbcTraceStore.query(c, sql, new Where(), rs -> rs.getString(1), name))
        .stream().findFirst();
  }

  @Override
  public void put(String name, String value, String updatedBy, Instant at) {
    String sql = "INSERT INTO settings (name, value, updated_us, updated_by) VALUES (?, ?, ?, ?)"
        + " ON CONFLICT (name) DO UPDATE SET value = excluded.value,"
        + " updated_us = excluded.updated_us, updated_by = excluded.updated_by";
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, name);
        ps.setString(2, value);
        ps.setLong(3, Rows.micros(at));
        ps.setString(4, updatedBy);
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public List<PriceOverride> prices() {
    String sql = "SELECT " + PRICE_COLUMNS + " FROM price_overrides ORDER BY model";
    return db.read(c -> JdbcTraceStore.query(c, sql, new Where(), JdbcSettingStore::price));
  }

  @Override
  public void putPrice(PriceOverride p) {
    String sql = "INSERT INTO price_overrides (" + PRICE_COLUMNS + ") VALUES"
        + " (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (model) DO UPDATE SET"
        + " provider = excluded.provider, input_per_million = excluded.input_per_million,"
        + " output_per_million = excluded.output_per_million,"
        + " cache_read_per_million = excluded.cache_read_per_million,"
        + " cache_write_per_million = excluded.cache_write_per_million,"
        + " updated_us = excluded.updated_us, updated_by = excluded.updated_by";
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, p.model());
        ps.setString(2, p.provider());
        ps.setString(3, text(p.inputPerMillion()));
        ps.setString(4, text(p.outputPerMillion()));
        ps.setString(5, text(p.cacheReadPerMillion()));
        ps.setString(6, text(p.cacheWritePerMillion()));
        ps.setLong(7, Rows.micros(p.updatedAt()));
        ps.setString(8, p.updatedBy());
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public boolean deletePrice(String model) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM price_overrides WHERE model = ?")) {
        ps.setString(1, model);
        return ps.executeUpdate() > 0;
      }
    });
  }

  private static String text(BigDecimal d) {
    return d == null ? null : d.toPlainString();
  }

  private static BigDecimal decimal(ResultSet rs, String column) throws SQLException {
    String v = rs.getString(column);
    return v == null ? null : new BigDecimal(v);
  }

  private static PriceOverride price(ResultSet rs) throws SQLException {
    return new PriceOverride(rs.getString("model"), rs.getString("provider"),
        decimal(rs, "input_per_million"), decimal(rs, "output_per_million"),
        decimal(rs, "cache_read_per_million"), decimal(rs, "cache_write_per_million"),
        Rows.instant(rs.getLong("updated_us")), rs.getString("updated_by"));
  }
}
