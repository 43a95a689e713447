package io.estafeta.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A webhook's counts over time and its newest delivery, on a fresh SQLite file. */
class DeliveryStoreTest {
  static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

  Path dir;
  Database db;
  DeliveryStore deliveries;
  String accountId;

  @BeforeEach
  void open() throws Exception {
    dir = Files.createTempDirectory("delivery-store");
    db = Database.sqlite(dir.resolve("estafeta.db"));
    deliveries = new DeliveryStore(db);
    accountId = new AccountStore(db).create("Clínica Sur", T0).account().id();
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void theHistogramCountsAWebhooksDeliveriesPerHourByStatus() {
    Instant from = T0.minus(Duration.ofHours(24));
    delivery("d1", "wh_a", "succeeded", from.plusSeconds(10));
    delivery("d2", "wh_a", "succeeded", from.plusSeconds(20));
    delivery("d3", "wh_a", "failed", from.plusSeconds(30));
    delivery("d4", "wh_a", "pending", T0.minusSeconds(1));
    delivery("d5", "wh_a", "cancelled", T0.minusSeconds(1));
    delivery("d6", "wh_a", "succeeded", from.minusSeconds(1)); // before the window
    delivery("d7", "wh_b", "failed", from.plusSeconds(10)); // another webhook

    var buckets = deliveries.histogram(accountId, "wh_a", from, Duration.ofHours(1), 24);
    assertThat(buckets).hasSize(24);
    assertThat(buckets.getFirst()).isEqualTo(new DeliveryStore.Bucket(from, 2, 1, 0));
    assertThat(buckets.getLast())
        .isEqualTo(new DeliveryStore.Bucket(from.plus(Duration.ofHours(23)), 0, 0, 1));
    assertThat(buckets.subList(1, 23))
        .allSatisfy(b -> assertThat(b.succeeded() + b.failed() + b.pending()).isZero());

    assertThat(deliveries.histogram("acc_other", "wh_a", from, Duration.ofHours(1), 24))
        .allSatisfy(b -> assertThat(b.succeeded() + b.failed() + b.pending()).isZero());
  }

  @Test
  void theLastDeliveryIsTheNewest() {
    assertThat(deliveries.lastDelivery(accountId, "wh_a")).isEmpty();
    delivery("d1", "wh_a", "succeeded", T0);
    delivery("d2", "wh_a", "failed", T0.plusSeconds(1));
    delivery("d3", "wh_b", "succeeded", T0.plusSeconds(2));
    var last = deliveries.lastDelivery(accountId, "wh_a").orElseThrow();
    assertThat(last.id()).isEqualTo("d2");
    assertThat(last.status()).isEqualTo("failed");
    assertThat(last.eventType()).isEqualTo("call.created");
    assertThat(last.createdAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(deliveries.lastDelivery("acc_other", "wh_a")).isEmpty();
  }

  private void delivery(String id, String webhookId, String status, Instant createdAt) {
    db.inTransaction(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "insert into deliveries (id, account_id, webhook_id, event_id, event_type, status,"
                  + " attempts, budget_start, version, created_at, updated_at)"
                  + " values (?, ?, ?, ?, 'call.created', ?, 0, 0, 0, ?, ?)")) {
        ps.setString(1, id);
        ps.setString(2, accountId);
        ps.setString(3, webhookId);
        ps.setString(4, "evt_" + id);
        ps.setString(5, status);
        ps.setLong(6, createdAt.toEpochMilli());
        ps.setLong(7, createdAt.toEpochMilli());
        return ps.executeUpdate();
      }
    });
  }
}
