package io.estafeta.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Statements run on a connection the caller holds (the stores work inside the Database's own
 * transactions), with their parameters bound and their rows read. A parameter binds by its type:
 * {@code String}, {@code Integer}, {@code Long}, {@code Boolean}, an {@code Instant} as epoch
 * milliseconds (the schema's unit of time), {@code null} as a text's null, and a {@link Param} as
 * it binds itself. Each call prepares, runs and closes one statement: exactly what it says, no
 * more.
 */
public final class Jdbc {
  private Jdbc() {}

  /** Reads the current row of a result into a value. */
  @FunctionalInterface
  public interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Takes the current row of a result. */
  @FunctionalInterface
  public interface Each {
    void accept(ResultSet rs) throws SQLException;
  }

  /** The parameters one row of a batch binds. */
  @FunctionalInterface
  public interface RowParams<T> {
    Object[] of(T row);
  }

  /** A parameter that binds itself, at one position or several: answers the next position. */
  @FunctionalInterface
  public interface Param {
    int bind(PreparedStatement ps, int index) throws SQLException;
  }

  /** Every row the query answers, read by {@code row}, in a new modifiable list. */
  public static <T> List<T> list(Connection c, String sql, Row<T> row, Object... params)
      throws SQLException {
    List<T> out = new ArrayList<>();
    each(c, sql, rs -> out.add(row.read(rs)), params);
    return out;
  }

  /** The first row the query answers, if any (none also when {@code row} reads it as null). */
  public static <T> Optional<T> first(Connection c, String sql, Row<T> row, Object... params)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(row.read(rs)) : Optional.empty();
      }
    }
  }

  /** Hands every row the query answers to {@code each}, in order. */
  public static void each(Connection c, String sql, Each each, Object... params)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          each.accept(rs);
        }
      }
    }
  }

  /** Runs an insert, update or delete; answers how many rows it changed. */
  public static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      return ps.executeUpdate();
    }
  }

  /**
   * Runs the statement once per row as one JDBC batch; answers the count of rows each execution
   * changed. No rows, nothing is prepared or run.
   */
  public static <T> int[] batch(Connection c, String sql, List<T> rows, RowParams<T> params)
      throws SQLException {
    if (rows.isEmpty()) {
      return new int[0];
    }
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (T row : rows) {
        bind(ps, params.of(row));
        ps.addBatch();
      }
      return ps.executeBatch();
    }
  }

  /** Runs a statement without parameters (settings, notifications). */
  public static void execute(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /** Binds {@code params} in order from the statement's first parameter. */
  public static void bind(PreparedStatement ps, Object... params) throws SQLException {
    int i = 1;
    for (Object p : params) {
      i = bind(ps, i, p);
    }
  }

  private static int bind(PreparedStatement ps, int i, Object p) throws SQLException {
    switch (p) {
      case null -> ps.setString(i, null);
      case String s -> ps.setString(i, s);
      case Integer n -> ps.setInt(i, n);
      case Long n -> ps.setLong(i, n);
      case Boolean b -> ps.setBoolean(i, b);
      case Instant t -> ps.setLong(i, t.toEpochMilli());
      case Param param -> {
        return param.bind(ps, i);
      }
      default -> throw new IllegalArgumentException("cannot bind a " + p.getClass().getName());
    }
    return i + 1;
  }

  /** A number that may be missing, bound as a BIGINT or a BIGINT's null. */
  public static Param int8OrNull(Long value) {
    return (ps, i) -> {
      if (value == null) {
        ps.setNull(i, Types.BIGINT);
      } else {
        ps.setLong(i, value);
      }
      return i + 1;
    };
  }

  /** A time that may be missing, bound as {@link #int8OrNull} of its epoch milliseconds. */
  public static Param millisOrNull(Instant value) {
    return int8OrNull(value == null ? null : value.toEpochMilli());
  }

  /** A column of epoch milliseconds as a time. */
  public static Instant instant(ResultSet rs, int column) throws SQLException {
    return Instant.ofEpochMilli(rs.getLong(column));
  }

  /** A column of epoch milliseconds as a time, {@code null} where the column is null. */
  public static Instant instantOrNull(ResultSet rs, int column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
  }
}
