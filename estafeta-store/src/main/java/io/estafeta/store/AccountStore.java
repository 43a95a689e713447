package io.estafeta.store;

import io.estafeta.core.account.Account;
import io.estafeta.core.account.ApiKey;
import io.estafeta.core.secret.Tokens;
import io.estafeta.store.internal.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Accounts and their API keys. Keys are stored only as SHA-256 hashes. */
public final class AccountStore {
  private final Database db;
  private final RecentCache<String, Optional<Account>> byKey =
      new RecentCache<>(Duration.ofSeconds(1), 10_000);

  public AccountStore(Database db) {
    this.db = db;
  }

  /** A new account and its first API key. */
  public record Created(Account account, ApiKey key, String plainKey) {}

  /** A newly issued key: the only time its plain text exists. */
  public record IssuedKey(ApiKey key, String plainKey) {}

  public Created create(String name, Instant now) {
    Account account = new Account(Tokens.id("acc"), name, now);
    return db.inTransaction(c -> {
      Jdbc.update(
          c,
          "insert into accounts (id, name, created_at) values (?, ?, ?)",
          account.id(),
          account.name(),
          now);
      IssuedKey key = insertKey(c, account.id(), now);
      return new Created(account, key.key(), key.plainKey());
    });
  }

  public List<Account> list() {
    return db.withReader(c ->
        Jdbc.list(
            c,
            "select id, name, created_at from accounts order by created_at, id",
            AccountStore::account));
  }

  public Optional<Account> find(String id) {
    return db.withReader(c -> find(c, id));
  }

  /** The account {@code id}, read on {@code c}. */
  static Optional<Account> find(Connection c, String id) throws SQLException {
    return Jdbc.first(
        c, "select id, name, created_at from accounts where id = ?", AccountStore::account, id);
  }

  /**
   * The account an active key belongs to, as read at most a second ago: every API request asks. A
   * key revoked on this node stops at once, on another node within the second.
   */
  public Optional<Account> findByKey(String plainKey) {
    String hash = Tokens.hash(plainKey);
    // Only keys that worked are kept: random keys cannot fill the cache.
    return byKey.get(hash, () -> readByKey(hash), Optional::isPresent);
  }

  private Optional<Account> readByKey(String hash) {
    return db.withReader(c ->
        Jdbc.first(
            c,
            "select a.id, a.name, a.created_at from api_keys k join accounts a on a.id ="
                + " k.account_id where k.key_hash = ? and k.revoked_at is null",
            AccountStore::account,
            hash));
  }

  public IssuedKey issueKey(String accountId, Instant now) {
    return db.inTransaction(c -> insertKey(c, accountId, now));
  }

  public List<ApiKey> keys(String accountId) {
    return db.withReader(c ->
        Jdbc.list(
            c,
            "select id, account_id, prefix, created_at, revoked_at from api_keys"
                + " where account_id = ? order by created_at, id",
            rs ->
                new ApiKey(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    Jdbc.instant(rs, 4),
                    Jdbc.instantOrNull(rs, 5)),
            accountId));
  }

  /** Revokes a key of the account; false when the account has no such active key. */
  public boolean revokeKey(String accountId, String keyId, Instant now) {
    try {
      return revokeNow(accountId, keyId, now);
    } finally {
      // Only the hash is cached, not the key's id: revocations are rare, forget them all.
      byKey.forgetAll();
    }
  }

  private boolean revokeNow(String accountId, String keyId, Instant now) {
    return db.inTransaction(c ->
        Jdbc.update(
                c,
                "update api_keys set revoked_at = ? where id = ? and account_id = ?"
                    + " and revoked_at is null",
                now,
                keyId,
                accountId)
            == 1);
  }

  private static IssuedKey insertKey(Connection c, String accountId, Instant now)
      throws SQLException {
    String plain = Tokens.apiKey();
    ApiKey key = new ApiKey(Tokens.id("key"), accountId, plain.substring(0, 10), now, null);
    Jdbc.update(
        c,
        "insert into api_keys (id, account_id, key_hash, prefix, created_at)"
            + " values (?, ?, ?, ?, ?)",
        key.id(),
        accountId,
        Tokens.hash(plain),
        key.prefix(),
        now);
    return new IssuedKey(key, plain);
  }

  /** An account from its id, name and creation time, the first three columns. */
  static Account account(ResultSet rs) throws SQLException {
    return new Account(rs.getString(1), rs.getString(2), Jdbc.instant(rs, 3));
  }
}
