package io.estafeta.bench.load;

import io.estafeta.store.Claimed;
import io.estafeta.store.Database;
import io.estafeta.store.DeliveryQueue;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The claim with many finished deliveries in the table, timed in-process with the store's own
 * classes: the table is migrated (Flyway, as a server does at start), filled over JDBC with 5,000
 * due deliveries and then with finished ones, and {@link DeliveryQueue#claim} of 100 is timed many
 * times at 10 thousand and at {@code --claim-rows} finished rows. After each timed claim the 100
 * rows are made due again (untimed), so every claim sees the same queue.
 */
final class ClaimBench {
  static final int DUE = 5_000;
  static final int SMALL = 10_000;
  static final int BATCH = 100;
  // Untimed claims: a thousand to warm up the JIT first (this runs in the bench's JVM; with only
  // 50 the small table's claims were timed half-compiled and came out slower than the big
  // table's), then 50 before each timed set.
  private static final int FIRST_WARM_UP = 1_000;
  private static final int WARM_UP = 50;
  private static final int FILL_CHUNK = 100_000;

  // A stored rendered request of the bench's webhook, about the size of the real ones.
  static final String REQUEST =
      "{\"method\":\"POST\",\"url\":\"http://127.0.0.1:9000/one/cli_5Lm8Rt2Qa/notes?call=call_1\","
          + "\"headers\":[{\"name\":\"Authorization\",\"sealed\":\"v1.q3kT0cJ2Xz9mPq8Lr7Ws1Yv4Nb6Hd3"
          + "Fg5Jk0Ue2Ri9Oa8Sc7Xe1Qw\"},{\"name\":\"X-Published-At\",\"value\":\"1764423000123456\"},"
          + "{\"name\":\"X-Call\",\"value\":\"call_1\"},{\"name\":\"Content-Type\","
          + "\"value\":\"application/json\"}],\"body\":\"{\\\"call\\\": \\\"call_1\\\", \\\"client\\\":"
          + " {\\\"id\\\":\\\"cli_5Lm8Rt2Qa\\\",\\\"name\\\":\\\"María José Núñez\\\",\\\"email\\\":"
          + "\\\"mjose.nunez@example.com\\\",\\\"phone\\\":\\\"+56912345678\\\",\\\"documentId\\\":"
          + "\\\"15.432.876-K\\\",\\\"externalId\\\":\\\"CRM-0048213\\\",\\\"language\\\":\\\"es-CL\\\"},"
          + " \\\"agent\\\": {\\\"name\\\": \\\"Camila Rojas Fuentes\\\", \\\"email\\\":"
          + " \\\"camila.rojas@example.com\\\"}, \\\"queue\\\": \\\"Atención Clientes Hogar\\\","
          + " \\\"durationSeconds\\\": 772, \\\"text\\\": \\\"María José Núñez called about Soporte"
          + " técnico fibra\\\"}\",\"timeoutMs\":15000}";

  private static final String COLUMNS =
      "id, account_id, webhook_id, event_id, event_type, status, reason, attempts, budget_start,"
          + " next_attempt_at, version, last_error, created_at, updated_at";

  private ClaimBench() {}

  static Metrics run(Options options, boolean postgres) throws Exception {
    Metrics m = new Metrics();
    try (BenchDatabase bench = BenchDatabase.create(options.dbUrl())) {
      Database db =
          postgres
              ? Database.postgresql(bench.url(), bench.user(), bench.password(), 4)
              : Database.sqlite(bench.sqliteFile());
      try (db) {
        DeliveryQueue queue = new DeliveryQueue(db);
        long now = System.currentTimeMillis();
        Proc.Machine machine0 = Proc.Machine.now();
        long pid = ProcessHandle.current().pid();
        double own0 = Proc.cpuSeconds(pid) + (postgres ? Proc.cpuSecondsOfAll("postgres") : 0);
        long t0 = System.nanoTime();
        insertDue(db, now);
        long filled = fill(db, postgres, 0, SMALL, now);
        time(db, queue, 0, FIRST_WARM_UP);
        settle(bench, postgres);
        double[] small = time(db, queue, WARM_UP, options.claimSamples());
        long fillStart = System.nanoTime();
        filled = fill(db, postgres, filled, options.claimRows(), now);
        double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
        settle(bench, postgres);
        double[] big = time(db, queue, WARM_UP, options.claimSamples());
        m.put("claim.due_rows", DUE);
        m.put("claim.batch", BATCH);
        m.put("claim.samples", options.claimSamples());
        m.put("claim.small_finished_rows", SMALL);
        m.put("claim.small_median_ms", median(small));
        m.put("claim.small_p90_ms", percentile(small, 0.9));
        m.put("claim.big_finished_rows", filled);
        m.put("claim.big_median_ms", median(big));
        m.put("claim.big_p90_ms", percentile(big, 0.9));
        m.put("claim.big_over_small", median(big) / median(small));
        m.put("claim.fill_rows_per_s", (filled - SMALL) / fillSeconds);
        double wall = (System.nanoTime() - t0) / 1e9;
        double own =
            Proc.cpuSeconds(pid) + (postgres ? Proc.cpuSecondsOfAll("postgres") : 0) - own0;
        double busy = Proc.Machine.now().minus(machine0).busy();
        m.put("claim.other_cores", Math.max(0, busy - own) / wall);
      }
    }
    return m;
  }

  /** {@code DUE} pending deliveries, due over the last minute. */
  private static void insertDue(Database db, long now) {
    db.inTransaction(c -> {
      try (PreparedStatement ps =
              c.prepareStatement(
                  "insert into deliveries ("
                      + COLUMNS
                      + ") values (?, 'acc_bench', 'wh_bench', ?, 'call.created', 'pending', null,"
                      + " 0, 0, ?, 0, null, ?, ?)");
          PreparedStatement queued =
              c.prepareStatement(
                  "insert into delivery_queue (delivery_id, due_at, lease_owner, version)"
                      + " values (?, ?, null, 0)");
          PreparedStatement request =
              c.prepareStatement(
                  "insert into delivery_requests (delivery_id, request) values (?, ?)")) {
        for (int i = 0; i < DUE; i++) {
          String id = io.estafeta.core.secret.Tokens.sortableId("dlv");
          ps.setString(1, id);
          ps.setString(2, "evt_due_" + i);
          ps.setLong(3, now - 60_000 + i);
          ps.setLong(4, now - 60_000 + i);
          ps.setLong(5, now - 60_000 + i);
          ps.addBatch();
          queued.setString(1, id);
          queued.setLong(2, now - 60_000 + i);
          queued.addBatch();
          request.setString(1, id);
          request.setString(2, REQUEST);
          request.addBatch();
        }
        ps.executeBatch();
        queued.executeBatch();
        request.executeBatch();
      }
      return null;
    });
  }

  /** Adds finished (succeeded) deliveries until there are {@code to}; returns {@code to}. */
  private static long fill(Database db, boolean postgres, long from, long to, long now) {
    // Ids in creation order, as the real ones (time-ordered ULIDs) are; older than the due rows.
    String sql =
        postgres
            ? "insert into deliveries ("
                + COLUMNS
                + ") select 'dlv_' || lpad(i::text, 26, '0'), 'acc_bench',"
                + " 'wh_bench', 'evt_' || i, 'call.created', 'succeeded', null, 1, 0, null, 2, null,"
                + " ? - i, ? - i from generate_series(?::bigint, ?::bigint) i"
            : "with recursive n(i) as (select ? union all select i + 1 from n where i < ?)"
                + " insert into deliveries ("
                + COLUMNS
                + ") select 'dlv_' || printf('%026d', i), 'acc_bench', 'wh_bench',"
                + " 'evt_' || i, 'call.created', 'succeeded', null, 1, 0, null, 2, null, ? - i,"
                + " ? - i from n";
    for (long start = from; start < to; start += FILL_CHUNK) {
      long first = start;
      long last = Math.min(to, start + FILL_CHUNK) - 1;
      db.inTransaction(c -> {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          if (postgres) {
            ps.setLong(1, now);
            ps.setLong(2, now);
            ps.setLong(3, first);
            ps.setLong(4, last);
          } else {
            ps.setLong(1, first);
            ps.setLong(2, last);
            ps.setLong(3, now);
            ps.setLong(4, now);
          }
          return ps.executeUpdate();
        }
      });
    }
    return to;
  }

  /**
   * Settles the table after a bulk load, so that the claims measure the table and not the load's
   * aftermath: on PostgreSQL what autovacuum would soon do (VACUUM ANALYZE) and a checkpoint; on
   * SQLite a checkpoint that empties the WAL (Estafeta never runs ANALYZE there, so neither does
   * this).
   */
  private static void settle(BenchDatabase bench, boolean postgres) throws Exception {
    if (postgres) {
      try (Connection c = bench.adminConnection();
          Statement st = c.createStatement()) {
        st.execute("vacuum analyze " + bench.schema() + ".deliveries");
        st.execute("vacuum analyze " + bench.schema() + ".delivery_queue");
        st.execute("checkpoint");
      }
      return;
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + bench.sqliteFile());
        Statement st = c.createStatement()) {
      st.execute("pragma wal_checkpoint(truncate)");
    }
  }

  /** Times {@code samples} claims of {@code BATCH} after {@code warmUp} untimed ones, in ms. */
  private static double[] time(Database db, DeliveryQueue queue, int warmUp, int samples) {
    double[] ms = new double[samples];
    for (int i = -warmUp; i < samples; i++) {
      Instant now = Instant.now();
      long t0 = System.nanoTime();
      List<Claimed> claimed = queue.claim("bench", now, now.plus(Duration.ofMinutes(3)), BATCH);
      long t = System.nanoTime() - t0;
      if (claimed.size() != BATCH) {
        throw new IllegalStateException("claimed " + claimed.size() + " of " + BATCH);
      }
      if (i >= 0) {
        ms[i] = t / 1e6;
      }
      makeDueAgain(db, claimed, now.toEpochMilli() - 1);
    }
    return ms;
  }

  private static void makeDueAgain(Database db, List<Claimed> claimed, long due) {
    List<String> ids = new ArrayList<>();
    claimed.forEach(c -> ids.add(c.id()));
    String marks = String.join(",", java.util.Collections.nCopies(ids.size(), "?"));
    db.inTransaction(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "update delivery_queue set due_at = ?, lease_owner = null where delivery_id in ("
                  + marks
                  + ")")) {
        ps.setLong(1, due);
        for (int i = 0; i < ids.size(); i++) {
          ps.setString(i + 2, ids.get(i));
        }
        return ps.executeUpdate();
      }
    });
  }

  static double median(double[] values) {
    return percentile(values, 0.5);
  }

  static double percentile(double[] values, double p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    if (sorted.length == 0) {
      return 0;
    }
    double pos = p * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }
}
