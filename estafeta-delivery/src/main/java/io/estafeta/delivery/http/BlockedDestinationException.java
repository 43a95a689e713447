package io.estafeta.delivery.http;

import io.estafeta.delivery.destination.DestinationVerdict;
import java.io.Serial;
import java.net.UnknownHostException;

/**
 * Thrown by {@link PinnedDnsResolver} when the destination filter refuses a host. An {@link
 * UnknownHostException} because that is all a {@code DnsResolver} may throw; it aborts the
 * connection before any socket exists.
 */
final class BlockedDestinationException extends UnknownHostException {

  @Serial private static final long serialVersionUID = 1L;

  BlockedDestinationException(DestinationVerdict.Blocked verdict) {
    super(verdict.message());
  }
}
