package io.estafeta.server.api;

import io.estafeta.core.secret.Tokens;
import io.estafeta.store.AccountStore;
import io.javalin.http.Context;

/** Reads the bearer token of a request and says who is calling. */
public final class Auth {
  private final String adminToken;
  private final AccountStore accounts;

  public Auth(String adminToken, AccountStore accounts) {
    this.adminToken = adminToken;
    this.accounts = accounts;
  }

  /** The caller, or 401. */
  public Principal principal(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiException.Unauthorized();
    }
    String token = header.substring(7).strip();
    if (Tokens.same(token, adminToken)) {
      return new Principal.Operator();
    }
    if (token.isEmpty() || token.length() > 200) {
      throw new ApiException.Unauthorized();
    }
    return accounts
        .findByKey(token)
        .<Principal>map(Principal.AccountKey::new)
        .orElseThrow(ApiException.Unauthorized::new);
  }

  /** The operator, or 401/403. */
  public void requireOperator(Context ctx) {
    if (!(principal(ctx) instanceof Principal.Operator)) {
      throw new ApiException.Forbidden("this route takes the admin token");
    }
  }

  /** The calling account, or 401/403. */
  public String requireAccount(Context ctx) {
    if (principal(ctx) instanceof Principal.AccountKey(var account)) {
      return account.id();
    }
    throw new ApiException.Forbidden("this route takes an account API key");
  }
}
