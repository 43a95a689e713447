package io.estafeta.delivery.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How the sender's connection pool is shaped.
 *
 * @param maxConnections open connections in total
 * @param maxConnectionsPerRoute open connections to one scheme, host and port; caps what one slow
 *     receiver can take from the others
 * @param connectTimeout upper bound of a TCP connect; a request's own timeout may cut it shorter
 * @param idleTimeout pooled connections idle longer than this are closed
 * @param userAgent sent only when a request carries no User-Agent of its own; null for none
 */
public record SenderSettings(
    int maxConnections,
    int maxConnectionsPerRoute,
    Duration connectTimeout,
    Duration idleTimeout,
    String userAgent) {

  public SenderSettings {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (maxConnections < 1 || maxConnectionsPerRoute < 1) {
      throw new IllegalArgumentException("connection limits must be positive");
    }
    if (maxConnectionsPerRoute > maxConnections) {
      throw new IllegalArgumentException("maxConnectionsPerRoute exceeds maxConnections");
    }
    if (!connectTimeout.isPositive() || !idleTimeout.isPositive()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
  }

  public static SenderSettings defaults(String userAgent) {
    return new SenderSettings(512, 32, Duration.ofSeconds(10), Duration.ofSeconds(30), userAgent);
  }
}
