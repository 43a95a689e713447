package io.estafeta.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on PostgreSQL for due deliveries so that work published on one node is picked up by
 * another within milliseconds, not after a poll interval. Uses its own connection (a pooled one
 * would be handed to others); reconnects after a failure.
 */
final class DueListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DueListener.class);

  private final HikariDataSource pool;
  private final String channel;
  private final String self;
  private final Runnable onDue;
  private volatile boolean running = true;
  private volatile Connection connection;
  private final Thread thread;

  private DueListener(HikariDataSource pool, String channel, String self, Runnable onDue) {
    this.pool = pool;
    this.channel = channel;
    this.self = self;
    this.onDue = onDue;
    this.thread = Thread.ofPlatform().name("estafeta-listen").daemon().unstarted(this::loop);
  }

  /**
   * @param self the payload of this process's own announcements, which are ignored
   */
  static DueListener start(HikariDataSource pool, String channel, String self, Runnable onDue) {
    DueListener l = new DueListener(pool, channel, self, onDue);
    l.thread.start();
    return l;
  }

  private void loop() {
    while (running) {
      try (Connection c =
          DriverManager.getConnection(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword())) {
        connection = c;
        try (Statement st = c.createStatement()) {
          st.execute("listen " + channel);
        }
        // Whatever was announced while not listening: look once.
        onDue.run();
        PGConnection pg = c.unwrap(PGConnection.class);
        while (running) {
          var notes = pg.getNotifications(1000);
          if (notes != null
              && java.util.Arrays.stream(notes).anyMatch(n -> !self.equals(n.getParameter()))) {
            onDue.run();
          }
        }
      } catch (SQLException e) {
        if (running) {
          LOG.warn("listening for due deliveries failed, reconnecting: {}", e.getMessage());
          try {
            Thread.sleep(1000);
          } catch (InterruptedException ie) {
            return;
          }
        }
      }
    }
  }

  @Override
  public void close() {
    running = false;
    Connection c = connection;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // Closing anyway.
      }
    }
    thread.interrupt();
  }
}
