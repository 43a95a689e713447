package io.estafeta.server.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.estafeta.core.account.Account;
import io.estafeta.server.api.ApiException;
import io.estafeta.server.api.Auth;
import io.estafeta.server.api.Bodies;
import io.estafeta.store.AccountStore;
import io.estafeta.store.PortalStore;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UnauthorizedResponse;
import java.time.Instant;
import java.util.function.IntFunction;

/** The portal's routes: login links and the session. */
public final class PortalHandlers {
  private static final int BODY_LIMIT = 4 * 1024;

  private final Auth auth;
  private final AccountStore accounts;
  private final PortalSessions sessions;

  /** The base of the links, for the port a request came in on. */
  private final IntFunction<String> publicUrl;

  public PortalHandlers(
      Auth auth, AccountStore accounts, PortalSessions sessions, IntFunction<String> publicUrl) {
    this.auth = auth;
    this.accounts = accounts;
    this.sessions = sessions;
    this.publicUrl = publicUrl;
  }

  /** The portal URL a link opens, for a node reached at {@code base}. */
  public static String linkUrl(String base, String token) {
    // In the fragment, the token never reaches a server log or a Referer header; and opening the
    // link is a GET that changes nothing, so mail scanners that follow links cannot spend it.
    return base + "/#/login/" + token;
  }

  /** {@code POST /api/v1/accounts/{id}/portal-link}: a one-time login link (admin token). */
  public void link(Context ctx) {
    auth.requireOperator(ctx);
    Account account =
        accounts.find(ctx.pathParam("id")).orElseThrow(() -> new ApiException.NotFound("account"));
    var issued =
        sessions
            .store()
            .issueLink(account.id(), sessions.clock().instant(), PortalSessions.LINK_TTL);
    String base = publicUrl.apply(ctx.req().getLocalPort());
    ctx.status(201)
        .json(
            Bodies.JSON
                .createObjectNode()
                .put("url", linkUrl(base, issued.token()))
                .put("expiresAt", issued.expiresAt().toString()));
  }

  /** {@code POST /api/v1/portal/session {"token"}}: spends a link and opens a session. */
  public void open(Context ctx) {
    // Only a JSON request, which a page of another site cannot send without a CORS preflight this
    // server never grants: no one can log a visitor into an account of theirs.
    String type = ctx.contentType();
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw new HttpResponseException(415, "send the login token as application/json");
    }
    JsonNode body = Bodies.object(ctx, BODY_LIMIT);
    JsonNode token = body.get("token");
    if (token == null || !token.isTextual() || token.textValue().isBlank()) {
      throw new ApiException.Invalid("token", "is required: the token of a portal login link");
    }
    if (token.textValue().length() > 200) {
      throw refused();
    }
    Instant now = sessions.clock().instant();
    switch (sessions.store().open(token.textValue(), now, PortalSessions.SESSION_TTL)) {
      case PortalStore.Opened(var sessionToken, var session) -> {
        sessions.store().purgeExpired(now);
        sessions.setCookie(ctx, sessionToken);
        ctx.status(201).json(sessionView(session, PortalSessions.csrfToken(sessionToken)));
      }
      case PortalStore.Refused r -> throw refused();
    }
  }

  /** {@code GET /api/v1/portal/session}: who the session is, with its CSRF token. */
  public void current(Context ctx) {
    String token = ctx.cookie(PortalSessions.COOKIE);
    PortalStore.Session session =
        token == null || token.length() > 200
            ? null
            : sessions.store().session(token, sessions.clock().instant()).orElse(null);
    if (session == null) {
      throw new UnauthorizedResponse("no portal session: open a login link to start one");
    }
    ctx.json(sessionView(session, PortalSessions.csrfToken(token)));
  }

  /** {@code DELETE /api/v1/portal/session}: logout. */
  public void close(Context ctx) {
    if (ctx.header("Authorization") != null) {
      throw new ApiException.Forbidden("this route ends a portal session; it takes no token");
    }
    // The session and its CSRF token, checked like any other unsafe request of the portal.
    auth.principal(ctx);
    sessions.store().close(ctx.cookie(PortalSessions.COOKIE));
    sessions.clearCookie(ctx);
    ctx.status(204);
  }

  private static ObjectNode sessionView(PortalStore.Session s, String csrfToken) {
    return Bodies.JSON
        .createObjectNode()
        .put("accountId", s.account().id())
        .put("accountName", s.account().name())
        .put("csrfToken", csrfToken)
        .put("expiresAt", s.expiresAt().toString());
  }

  private static UnauthorizedResponse refused() {
    return new UnauthorizedResponse(
        "this login link cannot be used: a link works once, for 10 minutes; ask for a new one");
  }
}
