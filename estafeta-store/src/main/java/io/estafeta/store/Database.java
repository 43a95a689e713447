package io.estafeta.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
  /** The channel a commit that makes deliveries due is announced on (PostgreSQL). */
  static final String DUE_CHANNEL = "estafeta_due";

  private final Dialect dialect;
  private final HikariDataSource writer;
  private final HikariDataSource reader;
  private final Periodic upkeep;
  // Signs this process's announcements, so its own listener can ignore them: whoever announces
  // wakes its own dispatcher directly, and a second wake per publish would cost an empty claim.
  private final String announcer = java.util.UUID.randomUUID().toString().replace("-", "");

  private Database(
      Dialect dialect, HikariDataSource writer, HikariDataSource reader, Periodic upkeep) {
    this.dialect = dialect;
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
    if (dialect == Dialect.POSTGRESQL) {
      // The payload is hex: nothing in it needs quoting.
      execute(c, "notify " + DUE_CHANNEL + ", '" + announcer + "'");
    }
  }

  /**
   * Calls {@code onDue} whenever another process announces due deliveries, from a thread of its own
   * holding one connection outside the pool. Nothing to listen to on SQLite.
   */
  public AutoCloseable listenForDue(Runnable onDue) {
    if (dialect != Dialect.POSTGRESQL) {
      return () -> {};
    }
    return DueListener.start(writer, DUE_CHANNEL, announcer, onDue);
  }

  /** The embedded database: a SQLite file, WAL, fsync on every commit. */
  public static Database sqlite(Path file) {
    // Small commits rewrite whole pages: 5,000 events a second in batches of 10 wrote 18,000 log
    // pages a second. A round every second let the log reach the writer's own threshold between
    // rounds, and that checkpoint (16,384 pages copied and fsynced inside a commit) held every
    // publish for 40-75 ms each second; a round every quarter second keeps a round's log small.
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
    migrate(writer, Dialect.SQLITE, null);
    HikariDataSource reader = pool("estafeta-read", sqliteSource(url, true), 4, true, null);
    Periodic checkpoint =
        Periodic.sqliteCheckpoint(
            () -> DriverManager.getConnection(url),
            checkpointEvery,
            sql -> {
              try (Connection c = writer.getConnection()) {
                execute(c, sql);
              }
            });
    return new Database(Dialect.SQLITE, writer, reader, checkpoint);
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
      migrate(pool, Dialect.POSTGRESQL, currentSchema(url));
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    Periodic vacuum =
        Periodic.postgresQueueVacuum(
            () -> DriverManager.getConnection(url, user, password), Duration.ofSeconds(5));
    return new Database(Dialect.POSTGRESQL, pool, pool, vacuum);
  }

  public Dialect dialect() {
    return dialect;
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
      // On SQLite a setting of the connection (the writer is one connection): set back below,
      // whatever happens, or the connection is dropped so no later write runs without the fsync.
      boolean loosened = !awaitDisk && dialect == Dialect.SQLITE;
      if (loosened) {
        execute(c, "pragma synchronous = NORMAL");
      }
      try {
        c.setAutoCommit(false);
        try {
          if (!awaitDisk && dialect == Dialect.POSTGRESQL) {
            execute(c, "set local synchronous_commit to off");
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
          restoreFullSync(c);
        }
      }
    } catch (SQLException e) {
      throw new StoreException("database write failed", e);
    }
  }

  private void restoreFullSync(Connection c) throws SQLException {
    try {
      execute(c, "pragma synchronous = FULL");
    } catch (SQLException e) {
      writer.evictConnection(c);
      throw e;
    }
  }

  /**
   * A condition that {@code column} is one of {@code count} values. PostgreSQL gets one array
   * parameter, so the statement is the same whatever the count and its plan is kept; SQLite gets a
   * list of parameters.
   */
  String anyOf(String column, int count) {
    return dialect == Dialect.POSTGRESQL
        ? column + " = any(?)"
        : column + " in (" + String.join(", ", Collections.nCopies(count, "?")) + ")";
  }

  /** Binds the values of {@link #anyOf} from parameter {@code index}; answers the next index. */
  int bindAnyOf(PreparedStatement ps, int index, List<String> values) throws SQLException {
    if (dialect == Dialect.POSTGRESQL) {
      ps.setArray(index, ps.getConnection().createArrayOf("varchar", values.toArray()));
      return index + 1;
    }
    int i = index;
    for (String v : values) {
      ps.setString(i++, v);
    }
    return i;
  }

  static void execute(Connection c, String sql) throws SQLException {
    try (var st = c.createStatement()) {
      st.execute(sql);
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
  private static void migrate(DataSource source, Dialect dialect, String schema) {
    var flyway =
        Flyway.configure()
            .dataSource(source)
            .locations("classpath:db/migration")
            .placeholders(placeholders(dialect));
    if (schema != null) {
      flyway.schemas(schema).createSchemas(true);
    }
    flyway.load().migrate();
  }

  /**
   * What the one schema says differently per database. SQLite keeps a table without a rowid in its
   * primary key's B-tree: a narrow table keyed by text is one B-tree less to write per row.
   */
  static Map<String, String> placeholders(Dialect dialect) {
    return Map.of(
        "key_table",
        dialect == Dialect.SQLITE ? " without rowid" : "",
        // Room in each page for its rows' next versions (PostgreSQL only; new pages only).
        "deliveries_fill",
        dialect == Dialect.POSTGRESQL ? "alter table deliveries set (fillfactor = 85);" : "");
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
