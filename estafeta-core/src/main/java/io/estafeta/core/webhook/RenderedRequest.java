package io.estafeta.core.webhook;

import java.time.Duration;
import java.util.List;

/**
 * A webhook's request rendered for one event: what every attempt of the delivery sends, apart from
 * the per-attempt headers (timestamp and signature).
 *
 * @param headers the account's headers, with the body format's Content-Type when the account set
 *     none; secret values in clear (mask with {@link #masked()} before showing)
 * @param body {@code null} when the request has none
 */
public record RenderedRequest(
    HttpMethod method, String url, List<HeaderSpec> headers, String body, Duration timeout) {

  public RenderedRequest {
    headers = List.copyOf(headers);
  }

  /** The same request with secret header values replaced, as answers and logs show it. */
  public RenderedRequest masked() {
    return new RenderedRequest(
        method,
        url,
        headers.stream().map(h -> h.secret() ? new HeaderSpec(h.name(), MASK, true) : h).toList(),
        body,
        timeout);
  }

  /**
   * The request with its secret headers' values taken from {@code current} (the webhook's headers
   * now), matched by name; a secret header the webhook no longer has is left out.
   */
  public RenderedRequest withSecretValues(List<HeaderSpec> current) {
    if (headers.stream().noneMatch(HeaderSpec::secret)) {
      return this;
    }
    List<HeaderSpec> filled = new java.util.ArrayList<>(headers.size());
    for (HeaderSpec h : headers) {
      if (!h.secret()) {
        filled.add(h);
        continue;
      }
      current.stream()
          .filter(c -> c.secret() && c.name().equalsIgnoreCase(h.name()))
          .findFirst()
          .ifPresent(filled::add);
    }
    return new RenderedRequest(method, url, filled, body, timeout);
  }

  /** What a secret value shows as. */
  public static final String MASK = "••••••";
}
