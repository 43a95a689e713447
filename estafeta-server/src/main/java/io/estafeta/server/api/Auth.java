package io.estafeta.server.api;

import io.estafeta.core.account.Account;
import io.estafeta.core.secret.Tokens;
import io.estafeta.store.AccountStore;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the bearer token of a request, or the portal's session cookie, and says who is calling. A
 * session acts as its account; since browsers send cookies on their own, every unsafe request made
 * with one must also carry the session's CSRF token in a header.
 */
public final class Auth {
  /** The header the portal sends its CSRF token in. */
  public static final String CSRF_HEADER = "X-CSRF-Token";

  private static final Set<HandlerType> SAFE =
      Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);

  private final String adminToken;
  private final AccountStore accounts;
  private final Sessions sessions;

  /** The portal's sessions, as the cookie of a request finds them. */
  public interface Sessions {
    /** The live session whose cookie the request carries, if any. */
    Optional<Session> of(Context ctx);
  }

  /** A live portal session: its account and the token its unsafe requests must carry. */
  public record Session(Account account, String csrfToken) {}

  public Auth(String adminToken, AccountStore accounts) {
    this(adminToken, accounts, ctx -> Optional.empty());
  }

  public Auth(String adminToken, AccountStore accounts, Sessions sessions) {
    this.adminToken = adminToken;
    this.accounts = accounts;
    this.sessions = sessions;
  }

  /** The caller, or 401 (403 for a session request without its CSRF token). */
  public Principal principal(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null) {
      return session(ctx);
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
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

  private Principal session(Context ctx) {
    Session s = sessions.of(ctx).orElseThrow(ApiException.Unauthorized::new);
    if (!SAFE.contains(ctx.method()) && !Tokens.same(ctx.header(CSRF_HEADER), s.csrfToken())) {
      throw new ApiException.Forbidden(
          "a portal session must send its CSRF token in the " + CSRF_HEADER + " header");
    }
    return new Principal.AccountKey(s.account());
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
