package io.estafeta.server.portal;

import io.estafeta.server.TestServer;
import java.util.HashMap;
import java.util.Map;

/** A browser's view of a portal session in API tests: the cookie and the CSRF token. */
final class PortalSession {
  final TestServer api;
  final String cookie;
  final String csrf;
  final Http.Reply opened;

  private PortalSession(TestServer api, String cookie, String csrf, Http.Reply opened) {
    this.api = api;
    this.cookie = cookie;
    this.csrf = csrf;
    this.opened = opened;
  }

  /** A login link for an account, as the operator asks for it. */
  static String link(TestServer api, String accountId) {
    Http.Reply r =
        Http.send(
            "POST",
            api.base() + "/api/v1/accounts/" + accountId + "/portal-link",
            "{}",
            "application/json",
            Map.of("Authorization", "Bearer " + TestServer.ADMIN));
    if (r.status() != 201) {
      throw new AssertionError(r.status() + " " + r.body());
    }
    return r.json().path("url").asText();
  }

  /** The token a link carries after {@code #/login/}. */
  static String token(String url) {
    return url.substring(url.indexOf("#/login/") + "#/login/".length());
  }

  static Http.Reply open(TestServer api, String token) {
    return Http.send(
        "POST",
        api.base() + "/api/v1/portal/session",
        "{\"token\": \"" + token + "\"}",
        "application/json",
        Map.of());
  }

  /** Logs in with a fresh link of the account. */
  static PortalSession login(TestServer api, String accountId) {
    Http.Reply r = open(api, token(link(api, accountId)));
    if (r.status() != 201) {
      throw new AssertionError(r.status() + " " + r.body());
    }
    String setCookie = r.header("Set-Cookie");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    return new PortalSession(api, cookie, r.json().path("csrfToken").asText(), r);
  }

  /** A request with the cookie, and the CSRF token when {@code withCsrf}. */
  Http.Reply call(String method, String path, String body, boolean withCsrf) {
    Map<String, String> headers = new HashMap<>();
    headers.put("Cookie", cookie);
    if (withCsrf) {
      headers.put("X-CSRF-Token", csrf);
    }
    return Http.send(method, api.base() + path, body, "application/json", headers);
  }

  Http.Reply get(String path) {
    return call("GET", path, null, false);
  }
}
