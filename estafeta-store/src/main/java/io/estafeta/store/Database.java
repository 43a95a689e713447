package io.estafeta.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
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
  private final Dialect dialect;
  private final HikariDataSource writer;
  private final HikariDataSource reader;

  private Database(Dialect dialect, HikariDataSource writer, HikariDataSource reader) {
    this.dialect = dialect;
    this.writer = writer;
    this.reader = reader;
  }

  /** The embedded database: a SQLite file, WAL, fsync on every commit. */
  public static Database sqlite(Path file) {
    String url = "jdbc:sqlite:" + file.toAbsolutePath();
    HikariDataSource writer = pool("estafeta-write", sqliteSource(url, false), 1, false);
    migrate(writer);
    HikariDataSource reader = pool("estafeta-read", sqliteSource(url, true), 4, true);
    return new Database(Dialect.SQLITE, writer, reader);
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
    HikariDataSource pool = new HikariDataSource(config);
    migrate(pool);
    return new Database(Dialect.POSTGRESQL, pool, pool);
  }

  public Dialect dialect() {
    return dialect;
  }

  /**
   * Runs work in one transaction on the writer; commits when it returns, rolls back if it throws.
   */
  public <T> T inTransaction(SqlFunction<T> work) {
    try (Connection c = writer.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.apply(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException("database write failed", e);
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
    if (reader != writer) {
      reader.close();
    }
    writer.close();
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
    config.enforceForeignKeys(true);
    config.setReadOnly(readOnly);
    SQLiteDataSource source = new SQLiteDataSource(config);
    source.setUrl(url);
    return source;
  }

  private static HikariDataSource pool(String name, DataSource source, int size, boolean readOnly) {
    HikariConfig config = new HikariConfig();
    // Hikari sets the flag on every new connection; it must match the SQLite connection's.
    config.setReadOnly(readOnly);
    config.setPoolName(name);
    config.setDataSource(source);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    return new HikariDataSource(config);
  }

  private static void migrate(DataSource source) {
    Flyway.configure().dataSource(source).locations("classpath:db/migration").load().migrate();
  }
}
