package io.estafeta.store;

import io.estafeta.core.account.Account;
import io.estafeta.core.secret.Tokens;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The portal's login links and sessions. Link and session tokens carry 256 random bits and are
 * stored only as SHA-256 hashes, like API keys.
 */
public final class PortalStore {
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private final Database db;

  public PortalStore(Database db) {
    this.db = db;
  }

  /** A new login link's token: the only time its plain text exists. */
  public record IssuedLink(String token, Instant expiresAt) {}

  /** A live session: whose it is and until when. */
  public record Session(Account account, Instant expiresAt) {}

  /** What opening a session with a link's token came to. */
  public sealed interface Opening permits Opened, Refused {}

  /** The link was good: it is now spent, and this session is open. */
  public record Opened(String sessionToken, Session session) implements Opening {}

  /** The link is unknown, spent or expired; nothing changed. */
  public record Refused() implements Opening {}

  /** Issues a one-time link for an account, valid for {@code ttl}. */
  public IssuedLink issueLink(String accountId, Instant now, Duration ttl) {
    String token = "ptl_" + URL.encodeToString(Tokens.bytes(32));
    Instant expiresAt = now.plus(ttl);
    db.inTransaction(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "insert into portal_links (token_hash, account_id, created_at, expires_at)"
                  + " values (?, ?, ?, ?)")) {
        ps.setString(1, Tokens.hash(token));
        ps.setString(2, accountId);
        ps.setLong(3, now.toEpochMilli());
        ps.setLong(4, expiresAt.toEpochMilli());
        return ps.executeUpdate();
      }
    });
    return new IssuedLink(token, expiresAt);
  }

  /**
   * Spends a link and opens a session of {@code ttl} for its account, in one transaction: of two
   * requests with the same link, one opens a session and the other is refused.
   */
  public Opening open(String linkToken, Instant now, Duration ttl) {
    return db.inTransaction(c -> {
      String accountId;
      try (PreparedStatement ps =
          c.prepareStatement(
              "update portal_links set used_at = ? where token_hash = ? and used_at is null"
                  + " and expires_at > ? returning account_id")) {
        ps.setLong(1, now.toEpochMilli());
        ps.setString(2, Tokens.hash(linkToken));
        ps.setLong(3, now.toEpochMilli());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return new Refused();
          }
          accountId = rs.getString(1);
        }
      }
      Optional<Account> account = account(c, accountId);
      if (account.isEmpty()) {
        return new Refused();
      }
      String token = "pts_" + URL.encodeToString(Tokens.bytes(32));
      Instant expiresAt = now.plus(ttl);
      try (PreparedStatement ps =
          c.prepareStatement(
              "insert into portal_sessions (token_hash, account_id, created_at, expires_at)"
                  + " values (?, ?, ?, ?)")) {
        ps.setString(1, Tokens.hash(token));
        ps.setString(2, accountId);
        ps.setLong(3, now.toEpochMilli());
        ps.setLong(4, expiresAt.toEpochMilli());
        ps.executeUpdate();
      }
      return new Opened(token, new Session(account.get(), expiresAt));
    });
  }

  /** The live session of a token, or empty when it is unknown, closed or expired. */
  public Optional<Session> session(String sessionToken, Instant now) {
    return db.withReader(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "select a.id, a.name, a.created_at, s.expires_at from portal_sessions s"
                  + " join accounts a on a.id = s.account_id"
                  + " where s.token_hash = ? and s.expires_at > ?")) {
        ps.setString(1, Tokens.hash(sessionToken));
        ps.setLong(2, now.toEpochMilli());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next()
              ? Optional.of(
                  new Session(
                      new Account(
                          rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))),
                      Instant.ofEpochMilli(rs.getLong(4))))
              : Optional.empty();
        }
      }
    });
  }

  /** Closes a session (logout); false when there was none. */
  public boolean close(String sessionToken) {
    return db.inTransaction(c -> {
      try (PreparedStatement ps =
          c.prepareStatement("delete from portal_sessions where token_hash = ?")) {
        ps.setString(1, Tokens.hash(sessionToken));
        return ps.executeUpdate() == 1;
      }
    });
  }

  /** Forgets links and sessions that expired before {@code now}; returns how many. */
  public int purgeExpired(Instant now) {
    return db.inTransaction(c -> {
      int n = 0;
      for (String table : List.of("portal_links", "portal_sessions")) {
        try (PreparedStatement ps =
            c.prepareStatement("delete from " + table + " where expires_at <= ?")) {
          ps.setLong(1, now.toEpochMilli());
          n += ps.executeUpdate();
        }
      }
      return n;
    });
  }

  private static Optional<Account> account(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("select id, name, created_at from accounts where id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(
                new Account(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))))
            : Optional.empty();
      }
    }
  }
}
