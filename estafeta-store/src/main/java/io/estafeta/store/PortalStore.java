package io.estafeta.store;

import io.estafeta.core.account.Account;
import io.estafeta.core.secret.Tokens;
import io.estafeta.store.internal.Jdbc;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The portal's login links and sessions, and the small aggregates its pages show. Link and session
 * tokens carry 256 random bits and are stored only as SHA-256 hashes, like API keys.
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
    db.inTransaction(c ->
        Jdbc.update(
            c,
            "insert into portal_links (token_hash, account_id, created_at, expires_at)"
                + " values (?, ?, ?, ?)",
            Tokens.hash(token),
            accountId,
            now,
            expiresAt));
    return new IssuedLink(token, expiresAt);
  }

  /**
   * Spends a link and opens a session of {@code ttl} for its account, in one transaction: of two
   * requests with the same link, one opens a session and the other is refused.
   */
  public Opening open(String linkToken, Instant now, Duration ttl) {
    return db.inTransaction(c -> {
      Optional<String> accountId =
          Jdbc.first(
              c,
              "update portal_links set used_at = ? where token_hash = ? and used_at is null"
                  + " and expires_at > ? returning account_id",
              rs -> rs.getString(1),
              now,
              Tokens.hash(linkToken),
              now);
      if (accountId.isEmpty()) {
        return new Refused();
      }
      Optional<Account> account = AccountStore.find(c, accountId.get());
      if (account.isEmpty()) {
        return new Refused();
      }
      String token = "pts_" + URL.encodeToString(Tokens.bytes(32));
      Instant expiresAt = now.plus(ttl);
      Jdbc.update(
          c,
          "insert into portal_sessions (token_hash, account_id, created_at, expires_at)"
              + " values (?, ?, ?, ?)",
          Tokens.hash(token),
          accountId.get(),
          now,
          expiresAt);
      return new Opened(token, new Session(account.get(), expiresAt));
    });
  }

  /** The live session of a token, or empty when it is unknown, closed or expired. */
  public Optional<Session> session(String sessionToken, Instant now) {
    return db.withReader(c ->
        Jdbc.first(
            c,
            "select a.id, a.name, a.created_at, s.expires_at from portal_sessions s"
                + " join accounts a on a.id = s.account_id"
                + " where s.token_hash = ? and s.expires_at > ?",
            rs -> new Session(AccountStore.account(rs), Jdbc.instant(rs, 4)),
            Tokens.hash(sessionToken),
            now));
  }

  /** Closes a session (logout); false when there was none. */
  public boolean close(String sessionToken) {
    return db.inTransaction(c ->
        Jdbc.update(
                c, "delete from portal_sessions where token_hash = ?", Tokens.hash(sessionToken))
            == 1);
  }

  /** Forgets links and sessions that expired before {@code now}; returns how many. */
  public int purgeExpired(Instant now) {
    return db.inTransaction(c -> {
      int n = 0;
      for (String table : List.of("portal_links", "portal_sessions")) {
        n += Jdbc.update(c, "delete from " + table + " where expires_at <= ?", now);
      }
      return n;
    });
  }
}
