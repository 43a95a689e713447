package io.estafeta.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upkeep the database's own background work does not do for a queue this busy, run in rounds
 * (SQLite every quarter second, PostgreSQL every few seconds) from a thread and connection of its
 * own, off every request's path:
 *
 * <ul>
 *   <li>SQLite: copying the write-ahead log back into the database file. Left to itself SQLite
 *       checkpoints inside whichever commit crosses the threshold, so every thousandth page or so a
 *       publish or an outcome waits for the copy and its fsync. Here passive checkpoints, which
 *       never wait for (or block) the writer or the readers, do the copying on their own
 *       connection. But the log starts over only once a checkpoint has copied all of it, which
 *       under steady writes one beside the writer never does (commits land while it copies): the
 *       log grew to the writer's threshold every few seconds, and the writer's own checkpoint then
 *       copied up to a second of pages and waited 25–35 ms for their fsync, holding every publish.
 *       So each round catches up on its own connection until what is left is small, and copies that
 *       last bit on the writer's connection, between its transactions: a few milliseconds, after
 *       which the next commit starts the log over.
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
