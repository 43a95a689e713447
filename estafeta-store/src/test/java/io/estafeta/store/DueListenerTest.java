package io.estafeta.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Two processes on one PostgreSQL (two {@link Database}s here): a commit that makes deliveries due
 * wakes the other's listener, not its own (whoever announces wakes its dispatcher directly).
 */
class DueListenerTest {
  static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";

  String schema;
  Database one;
  Database other;

  @AfterEach
  void close() throws SQLException {
    if (one != null) {
      one.close();
    }
    if (other != null) {
      other.close();
    }
    if (schema != null) {
      try (Connection c = DriverManager.getConnection(PG, "postgres", "")) {
        c.createStatement().execute("drop schema if exists " + schema + " cascade");
      }
    }
  }

  @Test
  void anotherProcessesAnnouncementWakesTheListenerAndItsOwnDoesNot() throws Exception {
    try (Connection c = DriverManager.getConnection(PG, "postgres", "")) {
      c.isValid(2);
    } catch (SQLException e) {
      Assumptions.assumeTrue(System.getenv("CI") != null, "PostgreSQL is not reachable: " + e);
      throw e;
    }
    schema = "dl_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    one = Database.postgresql(PG + "?currentSchema=" + schema, "postgres", "", 2);
    other = Database.postgresql(PG + "?currentSchema=" + schema, "postgres", "", 2);
    Semaphore woken = new Semaphore(0);
    AutoCloseable listening = one.listenForDue(woken::release);
    try {
      // It looks once when it starts listening.
      assertThat(woken.tryAcquire(10, TimeUnit.SECONDS)).isTrue();

      one.inTransaction(c -> {
        one.announceDue(c);
        return null;
      });
      assertThat(woken.tryAcquire(1, TimeUnit.SECONDS)).as("woken by its own commit").isFalse();

      other.inTransaction(c -> {
        other.announceDue(c);
        return null;
      });
      assertThat(woken.tryAcquire(10, TimeUnit.SECONDS)).as("woken by the other's").isTrue();
    } finally {
      listening.close();
    }
  }
}
