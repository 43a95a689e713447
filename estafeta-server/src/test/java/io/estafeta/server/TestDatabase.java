package io.estafeta.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The database a test runs on: SQLite by default, PostgreSQL when the build's {@code postgresql}
 * test run sets {@code estafeta.test.db=postgresql}. Each PostgreSQL database is a fresh schema of
 * the local server, dropped when the test is done.
 */
public record TestDatabase(Map<String, String> env, String schema) implements AutoCloseable {
  static final String PG_BASE =
      System.getProperty("estafeta.test.pgUrl", "jdbc:postgresql://127.0.0.1:5432/test");
  static final String PG_USER = System.getProperty("estafeta.test.pgUser", "postgres");

  public static boolean postgres() {
    return "postgresql".equals(System.getProperty("estafeta.test.db"));
  }

  /** A fresh database: an empty environment for SQLite (the data dir decides), a schema for PG. */
  public static TestDatabase create() {
    if (!postgres()) {
      return new TestDatabase(Map.of(), null);
    }
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(PG_BASE, PG_USER, "")) {
      c.createStatement().execute("select 1");
    } catch (SQLException e) {
      // Locally without PostgreSQL the run is skipped with a reason; CI starts the server.
      Assumptions.assumeTrue(
          System.getenv("CI") != null, "PostgreSQL is not reachable at " + PG_BASE + ": " + e);
      throw new IllegalStateException("PostgreSQL is not reachable at " + PG_BASE, e);
    }
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return new TestDatabase(
        Map.of(
            "ESTAFETA_DB_URL",
            PG_BASE + "?currentSchema=" + schema,
            "ESTAFETA_DB_USER",
            PG_USER,
            "ESTAFETA_MASTER_KEY",
            Base64.getEncoder().encodeToString(key)),
        schema);
  }

  /** Every row of every table of the schema, as text. */
  String dump() {
    StringBuilder all = new StringBuilder();
    try (Connection c = DriverManager.getConnection(PG_BASE, PG_USER, "");
        var tables =
            c.createStatement()
                .executeQuery(
                    "select table_name from information_schema.tables where table_schema = '"
                        + schema
                        + "'")) {
      java.util.List<String> names = new java.util.ArrayList<>();
      while (tables.next()) {
        names.add(tables.getString(1));
      }
      for (String t : names) {
        try (var rows =
            c.createStatement()
                .executeQuery("select r::text from " + schema + ".\"" + t + "\" r")) {
          while (rows.next()) {
            all.append(rows.getString(1)).append('\n');
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return all.toString();
  }

  @Override
  public void close() {
    if (schema == null) {
      return;
    }
    try (Connection c = DriverManager.getConnection(PG_BASE, PG_USER, "")) {
      c.createStatement()
          .execute("drop schema if exists " + schema.toLowerCase(Locale.ROOT) + " cascade");
    } catch (SQLException e) {
      // A schema left behind does no harm to other runs: each uses its own.
    }
  }
}
