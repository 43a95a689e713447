package io.estafeta.delivery.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How the sender's connection pool is shaped. There is no cap on connections in total: a connection
 * is busy only while an attempt holds it, and the dispatcher caps attempts; idle ones are closed
 * after {@code idleTimeout}.
 *
 * @param maxConnectionsPerRoute open connections to one scheme, host and port, busy or idle; caps
 *     what one slow receiver can take from the others
 * @param connectTimeout upper bound of a TCP connect; a request's own timeout may cut it shorter
 * @param idleTimeout pooled connections idle longer than this are closed
 * @param userAgent sent only when a request carries no User-Agent of its own; null for none
 */
public record SenderSettings(
    int maxConnectionsPerRoute, Duration connectTimeout, Duration idleTimeout, String userAgent) {

  public SenderSettings {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (maxConnectionsPerRoute < 1) {
      throw new IllegalArgumentException("maxConnectionsPerRoute must be positive");
    }
    if (!connectTimeout.isPositive() || !idleTimeout.isPositive()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
  }

  public static SenderSettings defaults(String userAgent) {
    return new SenderSettings(32, Duration.ofSeconds(10), Duration.ofSeconds(30), userAgent);
  }

  public SenderSettings withMaxConnectionsPerRoute(int n) {
    return new SenderSettings(n, connectTimeout, idleTimeout, userAgent);
  }

  public SenderSettings withConnectTimeout(Duration d) {
    return new SenderSettings(maxConnectionsPerRoute, d, idleTimeout, userAgent);
  }
}
