package io.estafeta.store;

import io.estafeta.core.account.Account;
import io.estafeta.core.account.ApiKey;
import io.estafeta.core.secret.Tokens;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
      try (PreparedStatement ps =
          c.prepareStatement("insert into accounts (id, name, created_at) values (?, ?, ?)")) {
        ps.setString(1, account.id());
        ps.setString(2, account.name());
        ps.setLong(3, now.toEpochMilli());
        ps.executeUpdate();
      }
      IssuedKey key = insertKey(c, account.id(), now);
      return new Created(account, key.key(), key.plainKey());
    });
  }

  public List<Account> list() {
    return db.withReader(c -> {
      try (PreparedStatement ps =
          c.prepareStatement("select id, name, created_at from accounts order by created_at, id")) {
        List<Account> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(account(rs));
          }
        }
        return out;
      }
    });
  }

  public Optional<Account> find(String id) {
    return db.withReader(c -> {
      try (PreparedStatement ps =
          c.prepareStatement("select id, name, created_at from accounts where id = ?")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(account(rs)) : Optional.empty();
        }
      }
    });
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
    return db.withReader(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "select a.id, a.name, a.created_at from api_keys k join accounts a on a.id ="
                  + " k.account_id where k.key_hash = ? and k.revoked_at is null")) {
        ps.setString(1, hash);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(account(rs)) : Optional.empty();
        }
      }
    });
  }

  public IssuedKey issueKey(String accountId, Instant now) {
    return db.inTransaction(c -> insertKey(c, accountId, now));
  }

  public List<ApiKey> keys(String accountId) {
    return db.withReader(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "select id, account_id, prefix, created_at, revoked_at from api_keys"
                  + " where account_id = ? order by created_at, id")) {
        ps.setString(1, accountId);
        List<ApiKey> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long revoked = rs.getLong(5);
            out.add(
                new ApiKey(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    Instant.ofEpochMilli(rs.getLong(4)),
                    rs.wasNull() ? null : Instant.ofEpochMilli(revoked)));
          }
        }
        return out;
      }
    });
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
    return db.inTransaction(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "update api_keys set revoked_at = ? where id = ? and account_id = ?"
                  + " and revoked_at is null")) {
        ps.setLong(1, now.toEpochMilli());
        ps.setString(2, keyId);
        ps.setString(3, accountId);
        return ps.executeUpdate() == 1;
      }
    });
  }

  private static IssuedKey insertKey(Connection c, String accountId, Instant now)
      throws SQLException {
    String plain = Tokens.apiKey();
    ApiKey key = new ApiKey(Tokens.id("key"), accountId, plain.substring(0, 10), now, null);
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into api_keys (id, account_id, key_hash, prefix, created_at)"
                + " values (?, ?, ?, ?, ?)")) {
      ps.setString(1, key.id());
      ps.setString(2, accountId);
      ps.setString(3, Tokens.hash(plain));
      ps.setString(4, key.prefix());
      ps.setLong(5, now.toEpochMilli());
      ps.executeUpdate();
    }
    return new IssuedKey(key, plain);
  }

  private static Account account(ResultSet rs) throws SQLException {
    return new Account(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)));
  }
}
