package io.estafeta.store;

import com.zaxxer.hikari.HikariDataSource;
import io.estafeta.store.IngestRows.EventKey;
import io.estafeta.store.internal.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Estafeta says differently to each database, chosen once when the {@link Database} opens. The
 * stores keep the SQL both databases share; here is what has a form per database, or exists on one
 * only. Both forms write the same rows in the same order.
 */
sealed interface Statements permits SqliteStatements, PostgresStatements {
  Statements SQLITE = new SqliteStatements();
  Statements POSTGRESQL = new PostgresStatements();

  Dialect dialect();

  /** The values of the migrations' placeholders: what the one schema says differently. */
  Map<String, String> placeholders();

  /** Before a transaction whose commit does not wait for the disk, on its connection. */
  void loosenConnection(Connection c) throws SQLException;

  /** First thing inside a transaction whose commit does not wait for the disk. */
  void loosenTransaction(Connection c) throws SQLException;

  /** After such a transaction, whatever came of it: the connection's commits are durable again. */
  void restoreConnection(Connection c) throws SQLException;

  /**
   * Announces, inside a transaction, that deliveries are due: other nodes hear it on commit.
   *
   * @param announcer signs the announcement, so the announcing process can ignore its own
   */
  void announceDue(Connection c, String announcer) throws SQLException;

  /** Calls {@code onDue} whenever another process announces due deliveries. */
  AutoCloseable listenForDue(HikariDataSource pool, String announcer, Runnable onDue);

  /** A condition that {@code column} is one of {@code values}, with its parameters. */
  AnyOf anyOf(String column, List<String> values);

  /** A condition's SQL, and the parameters it binds where it stands in a statement. */
  record AnyOf(String sql, Jdbc.Param values) implements Jdbc.Param {
    @Override
    public int bind(PreparedStatement ps, int index) throws SQLException {
      return values.bind(ps, index);
    }
  }

  /** Inserts the events, skipping those stored already; answers which were new. */
  Set<EventKey> insertEvents(Connection c, List<NewEvent> events) throws SQLException;

  /** Inserts the deliveries, requests and queue rows of new events. */
  void insertRows(Connection c, IngestRows rows) throws SQLException;

  /** First thing in a claim's transaction: settings for its plan. */
  void planClaim(Connection c) throws SQLException;

  /**
   * The claim: sets lease owner and due time (parameters 1 and 2) of up to a limit (4) of the
   * deliveries due at a time (3), answering their ids and new versions.
   */
  String claim();

  /**
   * The heartbeat: sets the due time (parameter 1) of those deliveries of {@code ids} still leased
   * by an owner (the parameter after the ids), skipping rows another transaction is writing.
   */
  String extendLeases(AnyOf ids);

  /**
   * Puts {@code putBack} back in the queue at their next due time and takes {@code takenOff} off
   * it, each only if its claim still holds (its version); answers those that held.
   */
  List<Completion> held(Connection c, List<Completion> putBack, List<Completion> takenOff)
      throws SQLException;

  /** Writes the next state of each delivery attempted and inserts its attempt. */
  void record(Connection c, List<Completion> attempted) throws SQLException;
}
