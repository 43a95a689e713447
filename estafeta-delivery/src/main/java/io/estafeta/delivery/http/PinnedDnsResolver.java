package io.estafeta.delivery.http;

import io.estafeta.delivery.destination.DestinationPolicy;
import io.estafeta.delivery.destination.DestinationVerdict;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;

/**
 * HttpClient's only way to turn a host into addresses. It runs the destination policy and returns
 * exactly the addresses it checked, so the socket connects to a checked address and no second
 * lookup (a DNS rebinding window) exists. HttpClient calls it for IP literals too.
 */
final class PinnedDnsResolver implements DnsResolver {

  private final DestinationPolicy policy;

  PinnedDnsResolver(DestinationPolicy policy) {
    this.policy = policy;
  }

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    return switch (policy.check(host)) {
      case DestinationVerdict.Allowed allowed -> allowed.addresses().toArray(InetAddress[]::new);
      case DestinationVerdict.Blocked blocked -> throw new BlockedDestinationException(blocked);
      case DestinationVerdict.Unresolvable unresolvable ->
          throw new UnknownHostException(unresolvable.message());
    };
  }

  @Override
  public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
    return Arrays.stream(resolve(host))
        .map(address -> new InetSocketAddress(address, port))
        .toList();
  }

  /** Only used for Kerberos/SPNEGO, which we never do; answering without a reverse lookup. */
  @Override
  public String resolveCanonicalHostname(String host) {
    return host;
  }
}
