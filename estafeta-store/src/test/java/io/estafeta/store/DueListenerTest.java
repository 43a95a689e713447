package io.estafeta.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two processes on one PostgreSQL (two {@link Database}s here): a commit that makes deliveries due
 * wakes the other's listener, not its own (whoever announces wakes its dispatcher directly).
 */
class DueListenerTest {
  PostgresSchema schema;
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
      schema.close();
    }
  }

  @Test
  void anotherProcessesAnnouncementWakesTheListenerAndItsOwnDoesNot() throws Exception {
    schema = PostgresSchema.create("dl");
    one = schema.open();
    other = schema.open();
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
