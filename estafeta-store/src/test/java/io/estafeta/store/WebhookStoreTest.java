package io.estafeta.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.estafeta.core.secret.SecretBox;
import io.estafeta.store.internal.Jdbc;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The failing-webhook search housekeeping runs every minute, on a real SQLite file. */
class WebhookStoreTest {
  static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

  @Test
  void searchingForFailingWebhooksDoesNotWaitForTheWriter() throws Exception {
    try (Database db = Database.sqlite(Files.createTempDirectory("webhooks").resolve("e.db"))) {
      String account = new AccountStore(db).create("Clínica Sur", T0).account().id();
      db.inTransaction(c -> {
        Jdbc.execute(
            c,
            "insert into webhooks (id, account_id, definition, signing_secret, enabled,"
                + " created_at, updated_at) values ('wh_1', '"
                + account
                + "', '{}', 'x', true, 0, 0)");
        Jdbc.execute(
            c,
            "insert into deliveries (id, account_id, webhook_id, event_id, event_type, status,"
                + " attempts, budget_start, version, created_at, updated_at) values ('dlv_1', '"
                + account
                + "', 'wh_1', 'evt_1', 'call.created', 'succeeded', 1, 0, 1, 0, 0)");
        return null;
      });
      WebhookStore webhooks = new WebhookStore(db, new SecretBox(new byte[32]));

      // A long write holds SQLite's one writer connection meanwhile.
      CountDownLatch holding = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Thread writer =
          Thread.ofPlatform()
              .start(() ->
                  db.inTransaction(c -> {
                    holding.countDown();
                    try {
                      release.await();
                    } catch (InterruptedException e) {
                      throw new java.sql.SQLException(e);
                    }
                    return null;
                  }));
      holding.await();
      try {
        // Nothing to switch off: the search reads, and answers without the writer.
        assertTimeoutPreemptively(
            Duration.ofSeconds(5),
            () -> assertThat(webhooks.disableFailing(T0, T0.plusSeconds(60))).isEmpty());
      } finally {
        release.countDown();
        writer.join();
      }
    }
  }
}
