package io.estafeta.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** SQLite's write-ahead log under writes that never pause, on a real file. */
class CheckpointTest {
  static final int PAGE = 4096;

  @Test
  void theLogStartsOverWhileWritesGoOn() throws Exception {
    Path dir = Files.createTempDirectory("checkpoint");
    Path file = dir.resolve("estafeta.db");
    long commits = 0;
    try (Database db = Database.sqlite(file, Duration.ofMillis(100))) {
      db.inTransaction(c -> {
        Database.execute(c, "create table notes (id integer primary key, note text)");
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
      assertThat(wal).isLessThan(commits * PAGE / 4);
    }
  }
}
