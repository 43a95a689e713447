package io.estafeta.delivery.destination;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a webhook may connect to a host: resolve it once, check every address, and hand
 * back exactly the checked addresses so the connection cannot go anywhere else.
 *
 * <p>Resolution is the JDK's (through {@link HostResolver#SYSTEM}), with two local rules applied
 * first: one trailing dot is dropped ({@code "example.com."} is the same DNS name, and {@code
 * "127.0.0.1."} becomes the literal it means instead of a DNS query), and names in the reserved
 * {@code localhost} domain (RFC 6761) are answered as {@code localhost} so they never leave the
 * machine as queries.
 */
public final class DestinationPolicy {

  private final AllowList allowList;
  private final HostResolver resolver;

  public DestinationPolicy(AllowList allowList) {
    this(allowList, HostResolver.SYSTEM);
  }

  public DestinationPolicy(AllowList allowList, HostResolver resolver) {
    this.allowList = Objects.requireNonNull(allowList, "allowList");
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  public AllowList allowList() {
    return allowList;
  }

  /**
   * Resolves {@code host} (a URL host: name, IPv4 literal, or bracketed IPv6 literal) and checks
   * every address. One blocked address blocks the destination, since a resolver may hand out any of
   * them.
   */
  public DestinationVerdict check(String host) {
    if (host == null || host.isBlank()) {
      // getAllByName("") answers loopback; an empty host is never a real destination.
      return new DestinationVerdict.Unresolvable(host == null ? "" : host, "the URL has no host");
    }
    String lookup = lookupName(host);
    if (lookup.isEmpty() || lookup.endsWith(".")) {
      return new DestinationVerdict.Unresolvable(host, "'" + host + "' is not a valid host name");
    }
    List<InetAddress> addresses;
    try {
      addresses = resolver.resolve(lookup);
    } catch (UnknownHostException e) {
      return new DestinationVerdict.Unresolvable(host, unresolvableMessage(host, e));
    } catch (RuntimeException e) {
      return new DestinationVerdict.Unresolvable(host, "'" + host + "' cannot be resolved: " + e);
    }
    if (addresses == null || addresses.isEmpty()) {
      return new DestinationVerdict.Unresolvable(host, "'" + host + "' has no addresses");
    }
    for (InetAddress address : addresses) {
      Optional<BlockedRange> blocked = blockedRange(address);
      if (blocked.isPresent()) {
        return new DestinationVerdict.Blocked(host, address, blocked.get().label());
      }
    }
    return new DestinationVerdict.Allowed(host, addresses);
  }

  /** The blocked range of one address, or empty when it may be reached (allow-list included). */
  public Optional<BlockedRange> blockedRange(InetAddress address) {
    if (allowList.contains(address)) {
      return Optional.empty();
    }
    return AddressClassifier.classify(address);
  }

  private static String lookupName(String host) {
    String name = host;
    if (!name.startsWith("[") && name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.equals("localhost") || lower.endsWith(".localhost")) {
      return "localhost";
    }
    return name;
  }

  private static String unresolvableMessage(String host, UnknownHostException e) {
    // The JDK refuses ambiguous IPv4 literals (hex, octal) with an IllegalArgumentException cause.
    Throwable cause = e.getCause();
    if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
      return "'" + host + "': " + cause.getMessage();
    }
    String detail = e.getMessage();
    if (detail == null || detail.equals(host)) {
      return "'" + host + "' cannot be resolved";
    }
    return "'" + host + "' cannot be resolved: " + detail;
  }
}
