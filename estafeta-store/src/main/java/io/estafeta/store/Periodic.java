package io.estafeta.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upkeep the database's own background work does not do for a queue this busy, run in rounds from a
 * thread and connection of its own, off every request's path:
 *
 * <ul>
 *   <li>SQLite: copying the write-ahead log back into the database file. Left to itself SQLite
 *       checkpoints inside whichever commit crosses the threshold, and that publish waits for the
 *       copy and its fsync. Passive checkpoints on this connection never wait for (or block) the
 *       writer or the readers, but under steady writes they never copy all of the log, so it would
 *       never start over: each round catches up here until what is left is small, and copies that
 *       last bit on the writer's connection, between its transactions.
 *   <li>PostgreSQL: vacuuming the queue table. Every delivery leaves dead rows there that new rows
 *       and every claim would step over until a vacuum frees them, and autovacuum comes to a small
 *       table late (or never, where it is off). A round skips while another vacuum runs.
 * </ul>
 */
final class Periodic implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Periodic.class);

  /**
   * SQLite's own checkpoint threshold (pages) for the writer while the checkpoint runs here: only
   * reached if this falls far behind.
   */
  static final int WRITER_BACKSTOP_PAGES = 16_384;

  /**
   * A round of catching up on its own connection taking less than this left little for the writer
   * to copy: the commits of that long.
   */
  private static final Duration SMALL_REMAINDER = Duration.ofMillis(10);

  private static final String CHECKPOINT = "pragma wal_checkpoint(PASSIVE)";

  /** Catch-up rounds before the writer copies what is left, however much that is. */
  private static final int MAX_CATCH_UP = 5;

  /** Opens the connection the statement runs on. */
  @FunctionalInterface
  interface Opener {
    Connection open() throws SQLException;
  }

  /** One round's work, on the upkeep's own connection. */
  @FunctionalInterface
  interface Round {
    void run(Statement own) throws SQLException;
  }

  private final Opener opener;
  private final Duration every;
  private final List<String> setup;
  private final Round round;
  private final String what;
  private final Thread thread;
  private volatile boolean running = true;

  private Periodic(
      String name, Opener opener, Duration every, List<String> setup, Round round, String what) {
    this.opener = opener;
    this.every = every;
    this.setup = setup;
    this.round = round;
    this.what = what;
    this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::loop);
  }

  /**
   * @param onWriter runs a statement on the writer's connection, between its transactions
   */
  static Periodic sqliteCheckpoint(Opener opener, Duration every, Database.SqlConsumer onWriter) {
    return start(
        new Periodic(
            "estafeta-checkpoint",
            opener,
            every,
            List.of("pragma busy_timeout = 10000"),
            own -> {
              for (int i = 0; i < MAX_CATCH_UP; i++) {
                long started = System.nanoTime();
                own.execute(CHECKPOINT);
                if (System.nanoTime() - started < SMALL_REMAINDER.toNanos()) {
                  break;
                }
              }
              onWriter.accept(CHECKPOINT);
            },
            "checkpointing the write-ahead log"));
  }

  static Periodic postgresQueueVacuum(Opener opener, Duration every) {
    return start(
        new Periodic(
            "estafeta-vacuum",
            opener,
            every,
            List.of(),
            own -> own.execute("vacuum (skip_locked) delivery_queue"),
            "vacuuming the queue"));
  }

  private static Periodic start(Periodic p) {
    p.thread.start();
    return p;
  }

  private void loop() {
    while (running) {
      try (Connection c = opener.open();
          Statement st = c.createStatement()) {
        for (String s : setup) {
          st.execute(s);
        }
        while (running) {
          Thread.sleep(every);
          round.run(st);
        }
      } catch (InterruptedException e) {
        return;
      } catch (SQLException e) {
        if (!running) {
          return;
        }
        LOG.warn("{} failed: {}", what, e.getMessage());
        try {
          Thread.sleep(every);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** Stops after the round under way, if any. */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
