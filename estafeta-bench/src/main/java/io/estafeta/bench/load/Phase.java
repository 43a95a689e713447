package io.estafeta.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;

/**
 * One measured stretch of a scenario: CPU counters of every process before and after, the
 * receiver's counts, and what the producers published; turned into metrics under a prefix.
 */
final class Phase {
  /** CPU seconds of each process and of the machine at one moment. */
  record Snapshot(
      long micros,
      double server,
      double receiver,
      double bench,
      double postgres,
      BenchDatabase.PostgresCounters postgresCounters,
      double putBacks,
      double handOffs,
      double compileMillis,
      Proc.Machine machine) {}

  private Phase() {}

  /**
   * @param pgUrl the PostgreSQL the server uses, {@code null} for SQLite or no server
   */
  static Snapshot snapshot(ServerProcess server, ReceiverProcess receiver, String pgUrl) {
    boolean postgres = pgUrl != null;
    return new Snapshot(
        Clocks.nowMicros(),
        server == null ? 0 : server.cpuSeconds(),
        receiver.cpuSeconds(),
        Proc.cpuSeconds(ProcessHandle.current().pid()),
        postgres ? Proc.cpuSecondsOfAll("postgres") : 0,
        postgres ? BenchDatabase.postgresCounters(pgUrl) : BenchDatabase.PostgresCounters.NONE,
        server == null ? 0 : server.putBacks(),
        server == null ? 0 : server.handOffs(),
        server == null ? 0 : server.compileMillis(),
        Proc.Machine.now());
  }

  /** How long to wait for deliveries: generous, but bounded. */
  static Duration timeout(long expected) {
    return Duration.ofSeconds(60 + expected / 200);
  }

  /**
   * Adds the metrics of a finished phase under {@code prefix}.
   *
   * @param expected deliveries that must arrive 2xx
   * @param complete whether they all did in time
   */
  static void record(
      Metrics m,
      String prefix,
      Producers.Published p,
      long expected,
      boolean complete,
      Snapshot before,
      Snapshot after,
      JsonNode stats,
      boolean postgres) {
    double publishSeconds = p.seconds();
    long lastOk = stats.path("lastOkMicros").asLong();
    double deliverSeconds = (lastOk - p.startMicros()) / 1e6;
    long ok = stats.path("ok").asLong();
    m.put(prefix + "events", p.accepted());
    m.put(prefix + "publish_errors", p.errors());
    m.put(prefix + "events_per_s", p.accepted() / publishSeconds);
    m.put(prefix + "deliveries", expected);
    m.put(prefix + "delivered", Math.min(ok, expected));
    m.put(prefix + "complete", complete ? 1 : 0);
    m.put(prefix + "deliveries_per_s", Math.min(ok, expected) / deliverSeconds);
    JsonNode l = stats.path("latencyMicros");
    m.put(prefix + "latency_p50_ms", l.path("p50").asLong() / 1000.0);
    m.put(prefix + "latency_p95_ms", l.path("p95").asLong() / 1000.0);
    m.put(prefix + "latency_p99_ms", l.path("p99").asLong() / 1000.0);
    m.put(prefix + "latency_max_ms", l.path("max").asLong() / 1000.0);
    // The same stamp to the publish request's answer: the share of the latency spent accepting.
    m.put(prefix + "accept_p50_ms", p.answerQuantileMs(0.5));
    m.put(prefix + "accept_p99_ms", p.answerQuantileMs(0.99));
    m.put(prefix + "attempts", stats.path("requests").asLong());
    m.put(prefix + "receiver_max_in_flight", stats.path("maxInFlight").asLong());
    m.put(prefix + "receiver_connections", stats.path("connections").asLong());
    // Claims given back unattempted at a cap: work the database did for nothing.
    m.put(prefix + "put_backs", after.putBacks() - before.putBacks());
    if (postgres) {
      BenchDatabase.PostgresCounters pgBefore = before.postgresCounters();
      BenchDatabase.PostgresCounters pgAfter = after.postgresCounters();
      // PostgreSQL's checkpoint syncs that ended in the phase: they hold its commits meanwhile, and
      // a phase with one has its latency tail.
      m.put(
          prefix + "postgres_checkpoint_sync_ms",
          pgAfter.checkpointSyncMillis() - pgBefore.checkpointSyncMillis());
      // Pages its backends had to write out themselves to make room.
      m.put(
          prefix + "postgres_backend_buffer_writes",
          pgAfter.backendBufferWrites() - pgBefore.backendBufferWrites());
      // What a delivery costs in log: checkpoints come after so much of it (max_wal_size).
      m.put(
          prefix + "postgres_wal_bytes_per_delivery",
          ok == 0 ? 0 : (pgAfter.walBytes() - pgBefore.walBytes()) / Math.min(ok, expected));
    }
    // Deliveries attempted straight from their publish, without a claim: the share of the phase's.
    m.put(
        prefix + "handed_off_share",
        expected == 0 ? 0 : (after.handOffs() - before.handOffs()) / expected);
    // Compiler threads' time over the phase's time: near 0 once the server's JIT is done; a
    // phase measured while it still compiles measures the warm-up (see docs/performance.md).
    m.put(
        prefix + "server_jit_share",
        (after.compileMillis() - before.compileMillis())
            / ((after.micros() - before.micros()) / 1e3));
    cpu(m, prefix, before, after, Math.min(ok, expected), postgres);
  }

  /** CPU used by each process over the phase, as cores and as milliseconds per delivery. */
  static void cpu(
      Metrics m, String prefix, Snapshot before, Snapshot after, long work, boolean postgres) {
    double wall = (after.micros() - before.micros()) / 1e6;
    double server = after.server() - before.server();
    double receiver = after.receiver() - before.receiver();
    double bench = after.bench() - before.bench();
    double pg = after.postgres() - before.postgres();
    Proc.Machine machine = after.machine().minus(before.machine());
    m.put(prefix + "wall_s", wall);
    m.put(prefix + "server_cpu_s", server);
    m.put(prefix + "server_cores", server / wall);
    m.put(prefix + "receiver_cores", receiver / wall);
    m.put(prefix + "bench_cores", bench / wall);
    if (postgres) {
      m.put(prefix + "postgres_cores", pg / wall);
    }
    m.put(prefix + "machine_busy_cores", machine.busy() / wall);
    // What none of the bench's processes used: other work on the machine, which skews the numbers.
    m.put(
        prefix + "other_cores",
        Math.max(0, machine.busy() - server - receiver - bench - (postgres ? pg : 0)) / wall);
    m.put(prefix + "machine_iowait_cores", machine.iowait() / wall);
    if (work > 0) {
      m.put(prefix + "server_cpu_ms_per_delivery", server * 1000 / work);
      if (postgres) {
        m.put(prefix + "postgres_cpu_ms_per_delivery", pg * 1000 / work);
      }
      // The CPU the whole setup spent per delivery (server, receiver, producers, database), and
      // the rate the machine's cores would give at that cost: a figure other load on the machine
      // skews less than the measured rate.
      double all = server + receiver + bench + (postgres ? pg : 0);
      m.put(prefix + "all_cpu_ms_per_delivery", all * 1000 / work);
      m.put(
          prefix + "cpu_bound_deliveries_per_s",
          Runtime.getRuntime().availableProcessors() * work / all);
    }
  }

  static JsonNode stats(ReceiverProcess receiver) throws IOException {
    return receiver.stats();
  }
}
