package io.estafeta.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.estafeta.core.DurationText;
import io.estafeta.core.secret.SecretBox;
import io.estafeta.core.webhook.BodyFormat;
import io.estafeta.core.webhook.BodySpec;
import io.estafeta.core.webhook.HeaderSpec;
import io.estafeta.core.webhook.HttpMethod;
import io.estafeta.core.webhook.Webhook;
import io.estafeta.core.webhook.WebhookDefinition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Webhooks, scoped to their account: every read and write names the account, so one account can
 * never reach another's webhook. Secret header values and signing secrets are sealed at rest.
 */
public final class WebhookStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS =
      "id, account_id, definition, signing_secret, created_at, updated_at, previous_secret,"
          + " previous_secret_until, disabled_reason";

  // How stale the hot-path reads may be: a webhook saved on another node reaches this node's
  // fan-outs and signatures within this time (changes made on this node, at once).
  static final Duration RECENT = Duration.ofSeconds(1);

  private final Database db;
  private final SecretBox box;
  private final RecentCache<String, List<Webhook>> enabledByAccount =
      new RecentCache<>(RECENT, 100_000);
  private final RecentCache<String, Optional<Webhook>> byId = new RecentCache<>(RECENT, 100_000);

  public WebhookStore(Database db, SecretBox box) {
    this.db = db;
    this.box = box;
  }

  /**
   * A webhook as read at most a second ago: for the hot path (signing each attempt), where a read
   * and a decryption per request would cost more than the request.
   */
  public Optional<Webhook> findRecent(String accountId, String id) {
    return byId.get(accountId + "/" + id, () -> find(accountId, id));
  }

  /** The enabled webhooks of an account as read at most a second ago: for each fan-out. */
  public List<Webhook> enabledRecent(String accountId) {
    return enabledByAccount.get(accountId, () -> enabled(accountId));
  }

  private void changed(String accountId, String id) {
    enabledByAccount.forget(accountId);
    byId.forget(accountId + "/" + id);
  }

  public void insert(Webhook w) {
    try {
      insertNow(w);
    } finally {
      changed(w.accountId(), w.id());
    }
  }

  private void insertNow(Webhook w) {
    db.inTransaction(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "insert into webhooks (id, account_id, definition, signing_secret, enabled,"
                  + " created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, w.id());
        ps.setString(2, w.accountId());
        ps.setString(3, encode(w.definition()));
        ps.setString(4, box.seal(w.signingSecret()));
        ps.setBoolean(5, w.definition().enabled());
        ps.setLong(6, w.createdAt().toEpochMilli());
        ps.setLong(7, w.updatedAt().toEpochMilli());
        return ps.executeUpdate();
      }
    });
  }

  /** Replaces a webhook's definition; false when the account has no such webhook. */
  public boolean replace(String accountId, String id, WebhookDefinition d, Instant now) {
    try {
      return replaceNow(accountId, id, d, now);
    } finally {
      changed(accountId, id);
    }
  }

  /**
   * Rotates the signing secret: {@code secret} signs from now on, and the current one keeps signing
   * beside it until {@code previousUntil}. False when the account has no such webhook.
   */
  public boolean rotateSecret(String accountId, String id, String secret, Instant previousUntil) {
    try {
      return db.inTransaction(c -> {
        try (PreparedStatement ps =
            c.prepareStatement(
                "update webhooks set previous_secret = signing_secret,"
                    + " previous_secret_until = ?, signing_secret = ?"
                    + " where id = ? and account_id = ?")) {
          ps.setLong(1, previousUntil.toEpochMilli());
          ps.setString(2, box.seal(secret));
          ps.setString(3, id);
          ps.setString(4, accountId);
          return ps.executeUpdate() == 1;
        }
      });
    } finally {
      changed(accountId, id);
    }
  }

  /** A webhook Estafeta switched off: no more fan-outs until its owner enables it again. */
  public record Disabled(String accountId, String id) {}

  /**
   * Switches off the enabled webhooks whose deliveries have all failed since {@code cutoff}: one
   * failed before it, after the last success, and nothing succeeded after it.
   */
  public List<Disabled> disableFailing(Instant cutoff, Instant now) {
    // The search reads every delivery of every enabled webhook (160 ms at two million of one
    // webhook on SQLite): a reader does it, so the writer, which every publish needs, is held
    // only when something is to be switched off, and then the few found are checked again.
    List<Disabled> candidates = db.withReader(c -> failing(c, cutoff, List.of()));
    if (candidates.isEmpty()) {
      return List.of();
    }
    List<Disabled> out =
        db.inTransaction(c -> {
          List<Disabled> found = failing(c, cutoff, candidates.stream().map(Disabled::id).toList());
          for (Disabled d : found) {
            WebhookDefinition def;
            try (PreparedStatement ps =
                c.prepareStatement("select definition from webhooks where id = ?")) {
              ps.setString(1, d.id());
              try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                def = decode(rs.getString(1));
              }
            }
            WebhookDefinition off =
                new WebhookDefinition(
                    def.name(),
                    def.events(),
                    def.method(),
                    def.url(),
                    def.headers(),
                    def.body(),
                    false,
                    def.timeout());
            try (PreparedStatement ps =
                c.prepareStatement(
                    "update webhooks set enabled = false, disabled_reason = ?,"
                        + " disabled_at = ?, definition = ? where id = ?")) {
              ps.setString(1, Webhook.FAILING);
              ps.setLong(2, now.toEpochMilli());
              ps.setString(3, encode(off));
              ps.setString(4, d.id());
              ps.executeUpdate();
            }
          }
          return found;
        });
    out.forEach(d -> changed(d.accountId(), d.id()));
    return out;
  }

  /** The enabled webhooks (all, or only those of {@code among} if any) failing since cutoff. */
  private List<Disabled> failing(Connection c, Instant cutoff, List<String> among)
      throws SQLException {
    List<Disabled> found = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select w.id, w.account_id from webhooks w where w.enabled = true"
                + (among.isEmpty() ? "" : " and " + db.anyOf("w.id", among.size()))
                + " and exists (select 1 from deliveries d where d.webhook_id = w.id"
                + " and d.status = 'failed' and d.updated_at <= ?"
                + " and d.updated_at > coalesce((select max(s.updated_at) from"
                + " deliveries s where s.webhook_id = w.id and s.status ="
                + " 'succeeded'), 0))"
                + " and not exists (select 1 from deliveries s where s.webhook_id = w.id"
                + " and s.status = 'succeeded' and s.updated_at > ?)")) {
      int i = among.isEmpty() ? 1 : db.bindAnyOf(ps, 1, among);
      ps.setLong(i++, cutoff.toEpochMilli());
      ps.setLong(i, cutoff.toEpochMilli());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.add(new Disabled(rs.getString(2), rs.getString(1)));
        }
      }
    }
    return found;
  }

  private boolean replaceNow(String accountId, String id, WebhookDefinition d, Instant now) {
    return db.inTransaction(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "update webhooks set definition = ?, enabled = ?, updated_at = ?,"
                  + " disabled_reason = null, disabled_at = null"
                  + " where id = ? and account_id = ?")) {
        ps.setString(1, encode(d));
        ps.setBoolean(2, d.enabled());
        ps.setLong(3, now.toEpochMilli());
        ps.setString(4, id);
        ps.setString(5, accountId);
        return ps.executeUpdate() == 1;
      }
    });
  }

  /** Deletes a webhook; false when the account has no such webhook. */
  public boolean delete(String accountId, String id) {
    try {
      return deleteNow(accountId, id);
    } finally {
      changed(accountId, id);
    }
  }

  private boolean deleteNow(String accountId, String id) {
    return db.inTransaction(c -> {
      try (PreparedStatement ps =
          c.prepareStatement("delete from webhooks where id = ? and account_id = ?")) {
        ps.setString(1, id);
        ps.setString(2, accountId);
        return ps.executeUpdate() == 1;
      }
    });
  }

  public Optional<Webhook> find(String accountId, String id) {
    List<Webhook> found =
        query(
            "select " + COLUMNS + " from webhooks where id = ? and account_id = ?", id, accountId);
    return found.stream().findFirst();
  }

  public List<Webhook> list(String accountId) {
    return query(
        "select " + COLUMNS + " from webhooks where account_id = ? order by created_at, id",
        accountId);
  }

  /** The enabled webhooks of an account: the candidates of a fan-out. */
  public List<Webhook> enabled(String accountId) {
    return query(
        "select "
            + COLUMNS
            + " from webhooks where account_id = ? and enabled = true order by created_at, id",
        accountId);
  }

  private List<Webhook> query(String sql, String... params) {
    return db.withReader(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < params.length; i++) {
          ps.setString(i + 1, params[i]);
        }
        List<Webhook> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(
                new Webhook(
                    rs.getString(1),
                    rs.getString(2),
                    decode(rs.getString(3)),
                    box.open(rs.getString(4)),
                    Instant.ofEpochMilli(rs.getLong(5)),
                    Instant.ofEpochMilli(rs.getLong(6)),
                    rs.getString(7) == null ? null : box.open(rs.getString(7)),
                    rs.getObject(8) == null ? null : Instant.ofEpochMilli(rs.getLong(8)),
                    rs.getString(9)));
          }
        }
        return out;
      }
    });
  }

  private String encode(WebhookDefinition d) {
    ObjectNode o = JSON.createObjectNode();
    o.put("name", d.name());
    ArrayNode events = o.putArray("events");
    d.events().forEach(events::add);
    o.put("method", d.method().name());
    o.put("url", d.url());
    ArrayNode headers = o.putArray("headers");
    for (HeaderSpec h : d.headers()) {
      headers
          .addObject()
          .put("name", h.name())
          .put("value", h.secret() ? box.seal(h.value()) : h.value())
          .put("secret", h.secret());
    }
    if (d.body() != null) {
      o.putObject("body")
          .put("format", d.body().format().apiName())
          .put("template", d.body().template());
    }
    o.put("enabled", d.enabled());
    o.put("timeout", DurationText.format(d.timeout()));
    return o.toString();
  }

  private WebhookDefinition decode(String text) throws SQLException {
    JsonNode o;
    try {
      o = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new SQLException("stored webhook definition is not JSON", e);
    }
    List<String> events = new ArrayList<>();
    o.path("events").forEach(e -> events.add(e.asText()));
    List<HeaderSpec> headers = new ArrayList<>();
    for (JsonNode h : o.path("headers")) {
      boolean secret = h.path("secret").asBoolean();
      String value = h.path("value").asText();
      headers.add(
          new HeaderSpec(h.path("name").asText(), secret ? box.open(value) : value, secret));
    }
    JsonNode b = o.get("body");
    BodySpec body =
        b == null
            ? null
            : new BodySpec(
                BodyFormat.fromApiName(b.path("format").asText()).orElseThrow(),
                b.path("template").asText());
    return new WebhookDefinition(
        o.path("name").asText(),
        events,
        HttpMethod.valueOf(o.path("method").asText()),
        o.path("url").asText(),
        headers,
        body,
        o.path("enabled").asBoolean(),
        DurationText.parse(o.path("timeout").asText()));
  }
}
