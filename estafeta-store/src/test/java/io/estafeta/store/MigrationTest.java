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

  @Test
  void pendingDeliveriesKeepTheirRequestsWhenRequestsMoveToTheirOwnTable() throws Exception {
    Path file = Files.createTempDirectory("migration").resolve("estafeta.db");
    String url = "jdbc:sqlite:" + file;
    // A database as version 4 left it, with a pending delivery in it.
    Flyway.configure()
        .dataSource(url, null, null)
        .locations("classpath:db/migration")
        .target("4")
        .load()
        .migrate();
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
            assertThat(c.request()).isEqualTo(request);
          });
    }
  }
}
