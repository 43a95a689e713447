package io.estafeta.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.estafeta.core.account.Account;
import io.estafeta.store.AccountStore;
import io.javalin.http.Context;
import java.time.Clock;

/** The operator's routes: accounts and their API keys. */
public final class AccountHandlers {
  private static final int BODY_LIMIT = 16 * 1024;

  private final Auth auth;
  private final AccountStore accounts;
  private final Clock clock;

  public AccountHandlers(Auth auth, AccountStore accounts, Clock clock) {
    this.auth = auth;
    this.accounts = accounts;
    this.clock = clock;
  }

  public void create(Context ctx) {
    auth.requireOperator(ctx);
    JsonNode body = Bodies.object(ctx, BODY_LIMIT);
    JsonNode name = body.get("name");
    if (name == null || !name.isTextual() || name.textValue().isBlank()) {
      throw new ApiException.Invalid("name", "is required: the account's name");
    }
    if (name.textValue().length() > 200) {
      throw new ApiException.Invalid("name", "must be at most 200 characters");
    }
    var created = accounts.create(name.textValue().strip(), clock.instant());
    ObjectNode answer = Views.account(created.account());
    answer.put("apiKey", created.plainKey());
    answer.put("apiKeyId", created.key().id());
    ctx.status(201).json(answer);
  }

  public void list(Context ctx) {
    auth.requireOperator(ctx);
    ArrayNode items = Bodies.JSON.createArrayNode();
    accounts.list().forEach(a -> items.add(Views.account(a)));
    ctx.json(Bodies.JSON.createObjectNode().set("items", items));
  }

  public void get(Context ctx) {
    auth.requireOperator(ctx);
    ctx.json(Views.account(account(ctx)));
  }

  public void issueKey(Context ctx) {
    auth.requireOperator(ctx);
    Account account = account(ctx);
    var issued = accounts.issueKey(account.id(), clock.instant());
    ObjectNode answer = Views.key(issued.key());
    answer.put("apiKey", issued.plainKey());
    ctx.status(201).json(answer);
  }

  public void listKeys(Context ctx) {
    auth.requireOperator(ctx);
    Account account = account(ctx);
    ArrayNode items = Bodies.JSON.createArrayNode();
    accounts.keys(account.id()).forEach(k -> items.add(Views.key(k)));
    ctx.json(Bodies.JSON.createObjectNode().set("items", items));
  }

  public void revokeKey(Context ctx) {
    auth.requireOperator(ctx);
    Account account = account(ctx);
    if (!accounts.revokeKey(account.id(), ctx.pathParam("keyId"), clock.instant())) {
      throw new ApiException.NotFound("API key");
    }
    ctx.status(204);
  }

  private Account account(Context ctx) {
    return accounts
        .find(ctx.pathParam("id"))
        .orElseThrow(() -> new ApiException.NotFound("account"));
  }
}
