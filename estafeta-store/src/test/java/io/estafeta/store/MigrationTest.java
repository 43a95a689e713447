package io.estafeta.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** Upgrades keep what was accepted before them. */
class MigrationTest {
  static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

  /** A new database file migrated up to {@code version} only. */
  private static Path databaseAtVersion(int version) throws Exception {
    Path file = Files.createTempDirectory("migration").resolve("estafeta.db");
    Flyway.configure()
        .dataSource("jdbc:sqlite:" + file, null, null)
        .locations("classpath:db/migration")
        .placeholders(Statements.SQLITE.placeholders())
        .target(Integer.toString(version))
        .load()
        .migrate();
    return file;
  }

  @Test
  void pendingDeliveriesKeepTheirRequestsWhenRequestsMoveToTheirOwnTable() throws Exception {
    // A database as version 4 left it, with a pending delivery in it.
    Path file = databaseAtVersion(4);
    String url = "jdbc:sqlite:" + file;
    String request = "{\"method\":\"POST\",\"url\":\"http://127.0.0.1:9/x\",\"timeoutMs\":1000}";
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement ps =
            c.prepareStatement(
                "insert into deliveries (id, account_id, webhook_id, event_id, event_type, status,"
                    + " attempts, budget_start, next_attempt_at, version, request, created_at,"
                    + " updated_at) values ('dlv_old', 'acc_1', 'wh_1', 'evt_1', 'call.created',"
                    + " 'pending', 0, 0, ?, 0, ?, ?, ?)")) {
      ps.setLong(1, T0.toEpochMilli());
      ps.setString(2, request);
      ps.setLong(3, T0.toEpochMilli());
      ps.setLong(4, T0.toEpochMilli());
      ps.executeUpdate();
    }

    try (Database db = Database.sqlite(file)) {
      List<Claimed> claimed = new DeliveryQueue(db).claim("node", T0, T0.plusSeconds(180), 10);
      assertThat(claimed)
          .singleElement()
          .satisfies(c -> {
            assertThat(c.id()).isEqualTo("dlv_old");
            assertThat(c.request()).isEqualTo(new StoredRequest(request, null));
          });
    }
  }

  @Test
  void requestsStoredWithTheirBodyInsideStillSendItAndShowItInEveryAttempt() throws Exception {
    // A database as version 5 left it: the body inside the request's JSON, and an attempt that
    // recorded it too.
    Path file = databaseAtVersion(5);
    String url = "jdbc:sqlite:" + file;
    String head =
        "{\"method\":\"POST\",\"url\":\"http://127.0.0.1:9/x\",\"headers\":[{\"name\":"
            + "\"Content-Type\",\"value\":\"application/json\"}],\"body\":\"{\\\"a\\\": 1}\","
            + "\"timeoutMs\":1000}";
    String oldAttempt =
        "{\"method\":\"POST\",\"url\":\"http://127.0.0.1:9/x\",\"headers\":{},"
            + "\"body\":\"{\\\"a\\\": 1}\"}";
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement delivery =
            c.prepareStatement(
                "insert into deliveries (id, account_id, webhook_id, event_id, event_type, status,"
                    + " attempts, budget_start, next_attempt_at, version, created_at, updated_at)"
                    + " values ('dlv_old', 'acc_1', 'wh_1', 'evt_1', 'call.created', 'pending',"
                    + " 1, 0, ?, 0, ?, ?)");
        PreparedStatement request =
            c.prepareStatement(
                "insert into delivery_requests (delivery_id, request) values ('dlv_old', ?)");
        PreparedStatement attempt =
            c.prepareStatement(
                "insert into attempts (delivery_id, number, started_at, duration_ms, outcome,"
                    + " request) values ('dlv_old', 1, ?, 5, 'retry', ?)")) {
      delivery.setLong(1, T0.toEpochMilli());
      delivery.setLong(2, T0.toEpochMilli());
      delivery.setLong(3, T0.toEpochMilli());
      delivery.executeUpdate();
      request.setString(1, head);
      request.executeUpdate();
      attempt.setLong(1, T0.toEpochMilli());
      attempt.setString(2, oldAttempt);
      attempt.executeUpdate();
    }

    try (Database db = Database.sqlite(file)) {
      var queue = new DeliveryQueue(db);
      Claimed claimed = queue.claim("node", T0, T0.plusSeconds(180), 10).getFirst();
      assertThat(new RequestCodec().decode(claimed.request()).body()).isEqualTo("{\"a\": 1}");
      // The second attempt is recorded as attempts are now: without the body.
      queue.complete(
          List.of(
              new Completion(
                  claimed,
                  new AttemptRow(
                      "dlv_old",
                      2,
                      T0,
                      7,
                      "success",
                      null,
                      "{\"method\":\"POST\",\"url\":\"http://127.0.0.1:9/x\",\"headers\":{}}",
                      null),
                  io.estafeta.core.delivery.DeliveryStatus.SUCCEEDED,
                  null,
                  null,
                  null,
                  T0)));
      List<AttemptRow> attempts = new DeliveryStore(db).attempts("dlv_old");
      assertThat(attempts).hasSize(2);
      assertThat(attempts.get(0).request()).isEqualTo(oldAttempt);
      assertThat(attempts.get(1).request())
          .isEqualTo(
              "{\"method\":\"POST\",\"url\":\"http://127.0.0.1:9/x\",\"headers\":{},"
                  + "\"body\":\"{\\\"a\\\": 1}\"}");
    }
  }
}
