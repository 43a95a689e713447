package io.estafeta.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.estafeta.store.internal.Jdbc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** SQLite's write-ahead log under writes that never pause, on a real file. */
class CheckpointTest {
  static final int PAGE = 4096;

  @Test
  void theLogStartsOverWhileWritesGoOn() throws Exception {
    // Two seconds of commits, a round every 100 ms: the log file holds a few rounds' commits.
    assertThat(logPagesPerCommit(dir -> Database.sqlite(dir, Duration.ofMillis(100))))
        .isLessThan(0.25);
  }

  @Test
  void theDefaultRoundsKeepTheLogToAFractionOfASecondsCommits() throws Exception {
    // The log keeps the size it reached. Rounds a second apart left 0.64 pages per commit of two
    // seconds' (a second's commits, at a page and a bit each); quarter-second rounds 0.15-0.16.
    assertThat(logPagesPerCommit(Database::sqlite)).isLessThan(0.32);
  }

  /**
   * Commits a page or so at a time for two seconds, without a pause, and answers the log file's
   * size in pages over the commits made.
   */
  private static double logPagesPerCommit(Function<Path, Database> opener) throws Exception {
    Path dir = Files.createTempDirectory("checkpoint");
    Path file = dir.resolve("estafeta.db");
    long commits = 0;
    try (Database db = opener.apply(file)) {
      db.inTransaction(c -> {
        Jdbc.execute(c, "create table notes (id integer primary key, note text)");
        return null;
      });
      // One small commit after another for two seconds: at least a page of log each.
      long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (System.nanoTime() < end) {
        db.inTransaction(c -> {
          try (var insert = c.prepareStatement("insert into notes (note) values (?)")) {
            insert.setString(1, "x".repeat(200));
            insert.executeUpdate();
          }
          return null;
        });
        commits++;
      }
      // The log file keeps the size it grew to: had it never started over it would hold every
      // commit's page; starting over every round, it holds a round's.
      long wal = Files.size(dir.resolve("estafeta.db-wal"));
      assertThat(commits).isGreaterThan(500);
      return (double) wal / PAGE / commits;
    }
  }
}
