package io.estafeta.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * PostgreSQL: rows bound as one array parameter per column, for statements over {@code unnest(…)}.
 * The statement is then the same whatever the number of rows, so its plan is kept, and it runs the
 * executor once for all of them rather than once a row.
 */
final class ArrayColumns {
  private ArrayColumns() {}

  /** One column's values, row by row, and their PostgreSQL element type. */
  record Column(String type, Object[] values) {}

  static Column varchar(Object[] values) {
    return new Column("varchar", values);
  }

  static Column text(Object[] values) {
    return new Column("text", values);
  }

  static Column int4(Object[] values) {
    return new Column("int4", values);
  }

  static Column int8(Object[] values) {
    return new Column("int8", values);
  }

  /** Binds the columns, in order, from the statement's first parameter. */
  static void bind(PreparedStatement ps, Column... columns) throws SQLException {
    Connection c = ps.getConnection();
    int i = 1;
    for (Column column : columns) {
      ps.setArray(i++, c.createArrayOf(column.type(), column.values()));
    }
  }
}
