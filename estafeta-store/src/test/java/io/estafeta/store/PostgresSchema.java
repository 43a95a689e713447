package io.estafeta.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh schema of the local PostgreSQL for one test, dropped on close. Outside CI a test that
 * needs it is skipped when PostgreSQL is not reachable; in CI that is a failure.
 */
final class PostgresSchema implements AutoCloseable {
  static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";

  private final String name;

  private PostgresSchema(String name) {
    this.name = name;
  }

  static PostgresSchema create(String prefix) throws SQLException {
    try (Connection c = DriverManager.getConnection(PG, "postgres", "")) {
      c.isValid(2);
    } catch (SQLException e) {
      Assumptions.assumeTrue(System.getenv("CI") != null, "PostgreSQL is not reachable: " + e);
      throw e;
    }
    return new PostgresSchema(
        prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16));
  }

  /** A database on this schema (created by the migrations), as a node opens it. */
  Database open() {
    return Database.postgresql(PG + "?currentSchema=" + name, "postgres", "", 2);
  }

  @Override
  public void close() throws SQLException {
    try (Connection c = DriverManager.getConnection(PG, "postgres", "")) {
      c.createStatement().execute("drop schema if exists " + name + " cascade");
    }
  }
}
