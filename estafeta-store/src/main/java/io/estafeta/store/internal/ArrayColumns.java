package io.estafeta.store.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;

/**
 * PostgreSQL: rows bound as one array parameter per column, for statements over {@code unnest(…)}.
 * The statement is then the same whatever the number of rows, so its plan is kept, and it runs the
 * executor once for all of them rather than once a row.
 */
public final class ArrayColumns {
  private ArrayColumns() {}

  /** One column's values, row by row, and their PostgreSQL element type: binds as one array. */
  public record Column(String type, Object[] values) implements Jdbc.Param {
    @Override
    public int bind(PreparedStatement ps, int index) throws SQLException {
      ps.setArray(index, ps.getConnection().createArrayOf(type, values));
      return index + 1;
    }
  }

  public static <T> Column varchar(List<T> rows, Function<? super T, ?> value) {
    return new Column("varchar", values(rows, value));
  }

  public static <T> Column text(List<T> rows, Function<? super T, ?> value) {
    return new Column("text", values(rows, value));
  }

  public static <T> Column int4(List<T> rows, Function<? super T, ?> value) {
    return new Column("int4", values(rows, value));
  }

  public static <T> Column int8(List<T> rows, Function<? super T, ?> value) {
    return new Column("int8", values(rows, value));
  }

  /** One value of each row, in the rows' order (null where the row has none). */
  private static <T> Object[] values(List<T> rows, Function<? super T, ?> value) {
    Object[] out = new Object[rows.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = value.apply(rows.get(k));
    }
    return out;
  }
}
