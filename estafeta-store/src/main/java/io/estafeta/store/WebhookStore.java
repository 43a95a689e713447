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
import io.estafeta.store.internal.Jdbc;
import java.sql.Connection;
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
    db.inTransaction(c ->
        Jdbc.update(
            c,
            "insert into webhooks (id, account_id, definition, signing_secret, enabled,"
                + " created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)",
            w.id(),
            w.accountId(),
            encode(w.definition()),
            box.seal(w.signingSecret()),
            w.definition().enabled(),
            w.createdAt(),
            w.updatedAt()));
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
      return db.inTransaction(c ->
          Jdbc.update(
                  c,
                  "update webhooks set previous_secret = signing_secret,"
                      + " previous_secret_until = ?, signing_secret = ?"
                      + " where id = ? and account_id = ?",
                  previousUntil,
                  box.seal(secret),
                  id,
                  accountId)
              == 1);
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
    // The search reads every delivery of every enabled webhook: a reader does it, so the writer,
    // which every publish needs, is held only when something is to be switched off, and then the
    // few found are checked again.
    List<Disabled> candidates = db.withReader(c -> failing(c, cutoff, List.of()));
    if (candidates.isEmpty()) {
      return List.of();
    }
    List<Disabled> out =
        db.inTransaction(c -> {
          List<Disabled> found = failing(c, cutoff, candidates.stream().map(Disabled::id).toList());
          for (Disabled d : found) {
            switchOff(c, d.id(), now);
          }
          return found;
        });
    out.forEach(d -> changed(d.accountId(), d.id()));
    return out;
  }

  /** Switches a failing webhook off, in its definition too (which its owner sees and edits). */
  private void switchOff(Connection c, String id, Instant now) throws SQLException {
    WebhookDefinition def =
        Jdbc.first(
                c,
                "select definition from webhooks where id = ?",
                rs -> decode(rs.getString(1)),
                id)
            .orElseThrow();
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
    Jdbc.update(
        c,
        "update webhooks set enabled = false, disabled_reason = ?,"
            + " disabled_at = ?, definition = ? where id = ?",
        Webhook.FAILING,
        now,
        encode(off),
        id);
  }

  /** The enabled webhooks (all, or only those of {@code among} if any) failing since cutoff. */
  private List<Disabled> failing(Connection c, Instant cutoff, List<String> among)
      throws SQLException {
    Statements.AnyOf any = among.isEmpty() ? null : db.statements().anyOf("w.id", among);
    return Jdbc.list(
        c,
        "select w.id, w.account_id from webhooks w where w.enabled = true"
            + (any == null ? "" : " and " + any.sql())
            + " and exists (select 1 from deliveries d where d.webhook_id = w.id"
            + " and d.status = 'failed' and d.updated_at <= ?"
            + " and d.updated_at > coalesce((select max(s.updated_at) from"
            + " deliveries s where s.webhook_id = w.id and s.status ="
            + " 'succeeded'), 0))"
            + " and not exists (select 1 from deliveries s where s.webhook_id = w.id"
            + " and s.status = 'succeeded' and s.updated_at > ?)",
        rs -> new Disabled(rs.getString(2), rs.getString(1)),
        any == null ? new Object[] {cutoff, cutoff} : new Object[] {any, cutoff, cutoff});
  }

  private boolean replaceNow(String accountId, String id, WebhookDefinition d, Instant now) {
    return db.inTransaction(c ->
        Jdbc.update(
                c,
                "update webhooks set definition = ?, enabled = ?, updated_at = ?,"
                    + " disabled_reason = null, disabled_at = null"
                    + " where id = ? and account_id = ?",
                encode(d),
                d.enabled(),
                now,
                id,
                accountId)
            == 1);
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
    return db.inTransaction(c ->
        Jdbc.update(c, "delete from webhooks where id = ? and account_id = ?", id, accountId) == 1);
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
    return db.withReader(c -> Jdbc.list(c, sql, this::webhook, (Object[]) params));
  }

  private Webhook webhook(ResultSet rs) throws SQLException {
    String previousSecret = rs.getString(7);
    return new Webhook(
        rs.getString(1),
        rs.getString(2),
        decode(rs.getString(3)),
        box.open(rs.getString(4)),
        Jdbc.instant(rs, 5),
        Jdbc.instant(rs, 6),
        previousSecret == null ? null : box.open(previousSecret),
        Jdbc.instantOrNull(rs, 8),
        rs.getString(9));
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
