package io.estafeta.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.estafeta.store.internal.Jdbc;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The connection pools and migrations. On SQLite every write goes through one writer connection
 * (SQLite admits one writer at a time, and a pool of writers would only queue on its lock) while
 * readers use their own pool; WAL lets them read during writes. On PostgreSQL one pool serves both.
 */
public final class Database implements AutoCloseable {
  private final Statements statements;
  private final HikariDataSource writer;
  private final HikariDataSource reader;
  private final Periodic upkeep;
  // Signs this process's announcements, so its own listener can ignore them: whoever announces
  // wakes its own dispatcher directly, and a second wake per publish would cost an empty claim.
  private final String announcer = java.util.UUID.randomUUID().toString().replace("-", "");

  private Database(
      Statements statements, HikariDataSource writer, HikariDataSource reader, Periodic upkeep) {
    this.statements = statements;
    this.writer = writer;
    this.reader = reader;
    this.upkeep = upkeep;
  }

  /**
   * Announces, inside a transaction, that deliveries are due: every other node listening hears it
   * when the transaction commits (PostgreSQL NOTIFY). The caller wakes its own dispatcher; on
   * SQLite there is only that one.
   */
  void announceDue(Connection c) throws SQLException {
    statements.announceDue(c, announcer);
  }

  /**
   * Calls {@code onDue} whenever another process announces due deliveries, from a thread of its own
   * holding one connection outside the pool. Nothing to listen to on SQLite.
   */
  public AutoCloseable listenForDue(Runnable onDue) {
    return statements.listenForDue(writer, announcer, onDue);
  }

  /** The embedded database: a SQLite file, WAL, fsync on every commit. */
  public static Database sqlite(Path file) {
    // Often enough that a round's log stays small and never reaches the writer's own threshold,
    // whose checkpoint would run inside a commit and hold every publish.
    return sqlite(file, Duration.ofMillis(250));
  }

  /** The embedded database, its write-ahead log checkpointed every {@code checkpointEvery}. */
  static Database sqlite(Path file, Duration checkpointEvery) {
    String url = "jdbc:sqlite:" + file.toAbsolutePath();
    // The checkpointer copies the log back, the last bit of each round on the writer's connection;
    // SQLite's own threshold in the writer is only a backstop.
    HikariDataSource writer =
        pool(
            "estafeta-write",
            sqliteSource(url, false),
            1,
            false,
            "pragma wal_autocheckpoint = " + Periodic.WRITER_BACKSTOP_PAGES);
    migrate(writer, Statements.SQLITE, null);
    HikariDataSource reader = pool("estafeta-read", sqliteSource(url, true), 4, true, null);
    Periodic checkpoint =
        Periodic.sqliteCheckpoint(
            () -> DriverManager.getConnection(url),
            checkpointEvery,
            sql -> {
              try (Connection c = writer.getConnection()) {
                Jdbc.execute(c, sql);
              }
            });
    return new Database(Statements.SQLITE, writer, reader, checkpoint);
  }

  /** A shared PostgreSQL database. */
  public static Database postgresql(String url, String user, String password, int poolSize) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("estafeta");
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(poolSize);
    config.setAutoCommit(true);
    // A JDBC batch of inserts goes as multi-row INSERTs rather than one statement per row.
    // (Statements that need a count per row, such as the events' insert, are not batches.)
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    HikariDataSource pool = new HikariDataSource(config);
    try {
      migrate(pool, Statements.POSTGRESQL, currentSchema(url));
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    Periodic vacuum =
        Periodic.postgresQueueVacuum(
            () -> DriverManager.getConnection(url, user, password), Duration.ofSeconds(5));
    return new Database(Statements.POSTGRESQL, pool, pool, vacuum);
  }

  public Dialect dialect() {
    return statements.dialect();
  }

  /** What the stores say differently to this database. */
  Statements statements() {
    return statements;
  }

  /**
   * Runs work in one transaction on the writer; commits when it returns, rolls back if it throws.
   * The commit is on disk when this returns.
   */
  public <T> T inTransaction(SqlFunction<T> work) {
    return inTransaction(work, true);
  }

  /**
   * Like {@link #inTransaction}, but the commit does not wait for the disk: a power cut (not a
   * process crash) may undo it until the next durable commit, which makes it durable too. Only for
   * writes whose loss is harmless, such as a claim (the deliveries are simply due again).
   */
  public <T> T inTransactionNotAwaitingDisk(SqlFunction<T> work) {
    return inTransaction(work, false);
  }

  private <T> T inTransaction(SqlFunction<T> work, boolean awaitDisk) {
    try (Connection c = writer.getConnection()) {
      // Set back below, whatever happens, or the connection is dropped so that no later write
      // runs without waiting for the disk.
      boolean loosened = !awaitDisk;
      if (loosened) {
        statements.loosenConnection(c);
      }
      try {
        c.setAutoCommit(false);
        try {
          if (loosened) {
            statements.loosenTransaction(c);
          }
          T result = work.apply(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        } finally {
          c.setAutoCommit(true);
        }
      } finally {
        if (loosened) {
          restore(c);
        }
      }
    } catch (SQLException e) {
      throw new StoreException("database write failed", e);
    }
  }

  private void restore(Connection c) throws SQLException {
    try {
      statements.restoreConnection(c);
    } catch (SQLException e) {
      writer.evictConnection(c);
      throw e;
    }
  }

  /** Runs read-only work on a reader connection. */
  public <T> T withReader(SqlFunction<T> work) {
    try (Connection c = reader.getConnection()) {
      return work.apply(c);
    } catch (SQLException e) {
      throw new StoreException("database read failed", e);
    }
  }

  /** Whether the database answers: for {@code /ready}. */
  public boolean answers() {
    try (Connection c = reader.getConnection()) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    upkeep.close();
    if (reader != writer) {
      reader.close();
    }
    writer.close();
  }

  /** A statement to run. */
  @FunctionalInterface
  interface SqlConsumer {
    void accept(String sql) throws SQLException;
  }

  /** Work over one connection. */
  @FunctionalInterface
  public interface SqlFunction<T> {
    T apply(Connection connection) throws SQLException;
  }

  private static DataSource sqliteSource(String url, boolean readOnly) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // FULL: a commit is fsynced before it returns, so a 202 survives a power cut.
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(10_000);
    // The default 2 MB page cache holds little of a queue's indexes: reads of index pages then go
    // to the operating system on every write. 64 MB for the writer, 16 MB per reader (KiB, as
    // negative numbers).
    config.setCacheSize(readOnly ? -16_384 : -65_536);
    config.enforceForeignKeys(true);
    config.setReadOnly(readOnly);
    SQLiteDataSource source = new SQLiteDataSource(config);
    source.setUrl(url);
    return source;
  }

  private static HikariDataSource pool(
      String name, DataSource source, int size, boolean readOnly, String initSql) {
    HikariConfig config = new HikariConfig();
    config.setConnectionInitSql(initSql);
    // Hikari sets the flag on every new connection; it must match the SQLite connection's.
    config.setReadOnly(readOnly);
    config.setPoolName(name);
    config.setDataSource(source);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    return new HikariDataSource(config);
  }

  /**
   * Runs the migrations. On PostgreSQL Flyway holds an advisory lock while it migrates, so nodes
   * that start together migrate once: the others wait, then find nothing to do.
   */
  private static void migrate(DataSource source, Statements statements, String schema) {
    var flyway =
        Flyway.configure()
            .dataSource(source)
            .locations("classpath:db/migration")
            .placeholders(statements.placeholders());
    if (schema != null) {
      flyway.schemas(schema).createSchemas(true);
    }
    flyway.load().migrate();
  }

  /** The {@code currentSchema} a PostgreSQL URL names, if any: the schema Estafeta lives in. */
  static String currentSchema(String url) {
    int q = url.indexOf('?');
    if (q < 0) {
      return null;
    }
    for (String param : url.substring(q + 1).split("&")) {
      if (param.startsWith("currentSchema=")) {
        String value = param.substring("currentSchema=".length());
        return value.isEmpty() || value.contains(",") ? null : value;
      }
    }
    return null;
  }
}
