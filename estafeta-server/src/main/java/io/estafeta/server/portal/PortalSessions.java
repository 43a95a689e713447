package io.estafeta.server.portal;

import io.estafeta.server.api.Auth;
import io.estafeta.store.PortalStore;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * The portal's sessions as a browser holds them: an HttpOnly, SameSite=Strict cookie carrying the
 * session token. The CSRF token is derived from the session token, so it needs no storage and
 * cannot be computed without the cookie the browser never shows to scripts.
 */
public final class PortalSessions implements Auth.Sessions {
  /** How long a login link may wait to be opened. */
  public static final Duration LINK_TTL = Duration.ofMinutes(10);

  /** How long a session lasts; then the customer asks for a new link. */
  public static final Duration SESSION_TTL = Duration.ofHours(8);

  static final String COOKIE = "estafeta_session";

  private final PortalStore store;
  private final Clock clock;
  private final boolean httpsPublicUrl;

  public PortalSessions(PortalStore store, Clock clock, Optional<String> publicUrl) {
    this.store = store;
    this.clock = clock;
    this.httpsPublicUrl = publicUrl.map(u -> u.startsWith("https:")).orElse(false);
  }

  @Override
  public Optional<Auth.Session> of(Context ctx) {
    String token = ctx.cookie(COOKIE);
    if (token == null || token.isEmpty() || token.length() > 200) {
      return Optional.empty();
    }
    return store
        .session(token, clock.instant())
        .map(s -> new Auth.Session(s.account(), csrfToken(token)));
  }

  PortalStore store() {
    return store;
  }

  Clock clock() {
    return clock;
  }

  /** The CSRF token of a session: a hash of its token under a label of its own. */
  static String csrfToken(String sessionToken) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(("estafeta-csrf:" + sessionToken).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sets the session cookie; Secure whenever the portal is reached over TLS. */
  void setCookie(Context ctx, String token) {
    ctx.header(
        "Set-Cookie",
        COOKIE
            + "="
            + token
            + "; Path=/; Max-Age="
            + SESSION_TTL.toSeconds()
            + "; HttpOnly; SameSite=Strict"
            + (secure(ctx) ? "; Secure" : ""));
  }

  void clearCookie(Context ctx) {
    ctx.header(
        "Set-Cookie",
        COOKIE
            + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
            + (secure(ctx) ? "; Secure" : ""));
  }

  private boolean secure(Context ctx) {
    return httpsPublicUrl
        || "https".equalsIgnoreCase(ctx.scheme())
        || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
  }
}
