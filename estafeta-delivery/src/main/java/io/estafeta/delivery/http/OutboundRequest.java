package io.estafeta.delivery.http;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One fully rendered request. {@code body} is null when there is none; the array is not copied
 * (bodies are up to 1 MiB), so callers must not change it afterwards.
 */
public record OutboundRequest(
    String method, URI url, List<Header> headers, byte[] body, Duration timeout) {

  /** The methods the contract lets a webhook use. */
  public static final Set<String> METHODS =
      Set.of("POST", "GET", "PATCH", "DELETE", "PUT", "OPTIONS", "HEAD");

  public OutboundRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(timeout, "timeout");
    headers = List.copyOf(headers);
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException("unsupported method " + method);
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    // getHost() is null for hosts java.net.URI cannot parse (e.g. "127.1"), which the destination
    // filter still has to see, so only the authority is required here.
    if (!(scheme.equals("http") || scheme.equals("https")) || url.getRawAuthority() == null) {
      throw new IllegalArgumentException("not an absolute http(s) URL: " + url);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
  }
}
