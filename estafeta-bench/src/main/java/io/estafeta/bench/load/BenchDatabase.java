package io.estafeta.bench.load;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One scenario's database: a fresh SQLite data directory, or a fresh schema {@code bench_<random>}
 * of the local PostgreSQL, dropped (with the directory) when the scenario ends.
 */
public final class BenchDatabase implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

  private final Path dataDir;
  private final String pgBase;
  private final String schema;
  private final String user;
  private final String password;

  private BenchDatabase(Path dataDir, String pgBase, String schema, String user, String password) {
    this.dataDir = dataDir;
    this.pgBase = pgBase;
    this.schema = schema;
    this.user = user;
    this.password = password;
  }

  /**
   * A fresh database: SQLite when {@code pgUrl} is null, else a new schema of that PostgreSQL,
   * which must be on this machine (the bench talks to loopback only).
   */
  public static BenchDatabase create(String pgUrl) throws IOException {
    Path dir = Files.createTempDirectory("estafeta-bench");
    if (pgUrl == null) {
      return new BenchDatabase(dir, null, null, null, null);
    }
    String base = withoutSchema(pgUrl);
    checkLoopback(base);
    String schema = "bench_" + HexFormat.of().formatHex(bytes(6));
    String user = env("ESTAFETA_DB_USER", "postgres");
    String password = env("ESTAFETA_DB_PASSWORD", "");
    return new BenchDatabase(dir, base, schema, user, password);
  }

  /**
   * PostgreSQL's cumulative counters that explain a phase's latency, since its statistics were last
   * reset.
   *
   * @param checkpointSyncMillis time spent in checkpoints' sync phase (counted as each completes);
   *     the sync holds commits meanwhile (docs/performance.md)
   * @param backendBufferWrites shared buffers that client backends had to write out themselves to
   *     make room, each first flushing the WAL up to that page's change (to tell PostgreSQL's slow
   *     mode apart, docs/performance.md)
   * @param walBytes write-ahead log written (its position): what checkpoints come after
   */
  public record PostgresCounters(
      double checkpointSyncMillis, double backendBufferWrites, double walBytes) {
    static final PostgresCounters NONE = new PostgresCounters(0, 0, 0);
    static final PostgresCounters UNREADABLE = new PostgresCounters(-1, -1, -1);
  }

  /** The counters of the PostgreSQL at {@code pgUrl}; -1 each if unreadable. */
  public static PostgresCounters postgresCounters(String pgUrl) {
    try (Connection c =
            DriverManager.getConnection(
                withoutSchema(pgUrl),
                env("ESTAFETA_DB_USER", "postgres"),
                env("ESTAFETA_DB_PASSWORD", ""));
        var st = c.createStatement()) {
      // PostgreSQL 17 moved them to views of their own.
      String sql =
          c.getMetaData().getDatabaseMajorVersion() >= 17
              ? "select (select sync_time from pg_stat_checkpointer), (select sum(writes) from"
                  + " pg_stat_io where backend_type = 'client backend'),"
                  + " pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')"
              : "select checkpoint_sync_time, buffers_backend,"
                  + " pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') from pg_stat_bgwriter";
      try (var rs = st.executeQuery(sql)) {
        return rs.next()
            ? new PostgresCounters(rs.getDouble(1), rs.getDouble(2), rs.getDouble(3))
            : PostgresCounters.UNREADABLE;
      }
    } catch (SQLException e) {
      return PostgresCounters.UNREADABLE;
    }
  }

  /** Refuses a PostgreSQL that is not on loopback. */
  public static void checkLoopback(String pgUrl) {
    String rest = pgUrl.substring("jdbc:".length());
    String host = URI.create(rest).getHost();
    if (host == null || !LOOPBACK.contains(host)) {
      throw new IllegalArgumentException(
          "--db-url must point at a PostgreSQL on 127.0.0.1 (the bench talks to loopback only)");
    }
  }

  public boolean postgres() {
    return schema != null;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The SQLite file the server makes in its data directory. */
  public Path sqliteFile() {
    return dataDir.resolve("estafeta.db");
  }

  /** The JDBC URL Estafeta is given (PostgreSQL only). */
  public String url() {
    return pgBase + (pgBase.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** The environment a server needs for this database. */
  public Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("ESTAFETA_DATA_DIR", dataDir.toString());
    if (postgres()) {
      env.put("ESTAFETA_DB_URL", url());
      env.put("ESTAFETA_DB_USER", user);
      env.put("ESTAFETA_DB_PASSWORD", password);
      env.put("ESTAFETA_MASTER_KEY", Base64.getEncoder().encodeToString(bytes(32)));
    }
    return env;
  }

  /** A connection to PostgreSQL outside the schema (for VACUUM and the final drop). */
  public Connection adminConnection() throws SQLException {
    return DriverManager.getConnection(pgBase, user, password);
  }

  public String schema() {
    return schema;
  }

  @Override
  public void close() {
    if (postgres()) {
      try (Connection c = adminConnection();
          var st = c.createStatement()) {
        st.execute("drop schema if exists " + schema + " cascade");
      } catch (SQLException e) {
        System.err.println("bench: could not drop schema " + schema + ": " + e.getMessage());
      }
    }
    deleteTree(dataDir);
  }

  static void deleteTree(Path dir) {
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.deleteIfExists(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      System.err.println("bench: could not delete " + dir + ": " + e.getMessage());
    }
  }

  private static String withoutSchema(String url) {
    int q = url.indexOf('?');
    if (q < 0) {
      return url;
    }
    StringBuilder kept = new StringBuilder();
    for (String p : url.substring(q + 1).split("&")) {
      if (!p.startsWith("currentSchema=") && !p.isEmpty()) {
        kept.append(kept.isEmpty() ? "" : "&").append(p);
      }
    }
    return url.substring(0, q) + (kept.isEmpty() ? "" : "?" + kept);
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
