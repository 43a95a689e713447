package io.estafeta.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies SQLite's write-ahead log back into the database file from a thread and connection of its
 * own. Left to itself SQLite checkpoints inside whichever commit crosses the threshold, so every
 * thousandth page or so a publish or an outcome waits for the copy and its fsync; here commits only
 * append to the log. A passive checkpoint never waits for (or blocks) the writer or the readers.
 */
final class Checkpointer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

  /**
   * The writer's own checkpoint threshold (pages) while this runs: only reached if the checkpointer
   * falls far behind.
   */
  static final int WRITER_BACKSTOP_PAGES = 16_384;

  private final String url;
  private final Duration every;
  private final Thread thread;
  private volatile boolean running = true;

  private Checkpointer(String url, Duration every) {
    this.url = url;
    this.every = every;
    this.thread = Thread.ofPlatform().name("estafeta-checkpoint").daemon().unstarted(this::loop);
  }

  static Checkpointer start(String url, Duration every) {
    Checkpointer c = new Checkpointer(url, every);
    c.thread.start();
    return c;
  }

  private void loop() {
    while (running) {
      try (Connection c = DriverManager.getConnection(url);
          Statement st = c.createStatement()) {
        st.execute("pragma busy_timeout = 10000");
        while (running) {
          Thread.sleep(every);
          st.execute("pragma wal_checkpoint(PASSIVE)");
        }
      } catch (InterruptedException e) {
        return;
      } catch (SQLException e) {
        LOG.warn("checkpointing the write-ahead log failed: {}", e.getMessage());
        try {
          Thread.sleep(every);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** Stops after the checkpoint under way, if any. */
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
