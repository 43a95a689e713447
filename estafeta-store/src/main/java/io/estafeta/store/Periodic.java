package io.estafeta.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upkeep the database's own background work does not do for a queue this busy, run every few
 * seconds from a thread and connection of its own, off every request's path:
 *
 * <ul>
 *   <li>SQLite: copying the write-ahead log back into the database file. Left to itself SQLite
 *       checkpoints inside whichever commit crosses the threshold, so every thousandth page or so a
 *       publish or an outcome waits for the copy and its fsync; here commits only append to the
 *       log. A passive checkpoint never waits for (or blocks) the writer or the readers.
 *   <li>PostgreSQL: vacuuming the queue table. Every delivery leaves two or three dead rows there;
 *       until a vacuum frees them, new rows extend the table rather than reuse it, and the due-time
 *       index keeps their entries for every claim to step over. Autovacuum would come to a small
 *       table only after a fifth of it is dead, and not at all where it is off; this costs a few
 *       milliseconds a round, and skips a round while another node's (or autovacuum's) runs.
 * </ul>
 */
final class Periodic implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Periodic.class);

  /**
   * SQLite's own checkpoint threshold (pages) for the writer while the checkpoint runs here: only
   * reached if this falls far behind.
   */
  static final int WRITER_BACKSTOP_PAGES = 16_384;

  /** Opens the connection the statement runs on. */
  @FunctionalInterface
  interface Opener {
    Connection open() throws SQLException;
  }

  private final Opener opener;
  private final Duration every;
  private final List<String> setup;
  private final String statement;
  private final String what;
  private final Thread thread;
  private volatile boolean running = true;

  private Periodic(
      String name,
      Opener opener,
      Duration every,
      List<String> setup,
      String statement,
      String what) {
    this.opener = opener;
    this.every = every;
    this.setup = setup;
    this.statement = statement;
    this.what = what;
    this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::loop);
  }

  static Periodic sqliteCheckpoint(String url, Duration every) {
    return start(
        new Periodic(
            "estafeta-checkpoint",
            () -> java.sql.DriverManager.getConnection(url),
            every,
            List.of("pragma busy_timeout = 10000"),
            "pragma wal_checkpoint(PASSIVE)",
            "checkpointing the write-ahead log"));
  }

  static Periodic postgresQueueVacuum(Opener opener, Duration every) {
    return start(
        new Periodic(
            "estafeta-vacuum",
            opener,
            every,
            List.of(),
            "vacuum (skip_locked) delivery_queue",
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
          st.execute(statement);
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
