package io.estafeta.delivery.destination;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Says which blocked range, if any, an address falls in. Special-purpose ranges follow the IANA
 * IPv4 and IPv6 special-purpose address registries; IPv6 outside {@code 2000::/3} (global unicast)
 * is reserved and blocked. IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4)
 * are judged by the IPv4 address inside, because that is where the packets end up.
 */
public final class AddressClassifier {

  private record Entry(Cidr network, BlockedRange range) {}

  // First match wins: more specific networks come before the ranges that contain them.
  private static final List<Entry> IPV4 =
      List.of(
          entry("0.0.0.0/8", BlockedRange.UNSPECIFIED),
          entry("10.0.0.0/8", BlockedRange.PRIVATE),
          entry("100.64.0.0/10", BlockedRange.CGNAT),
          entry("127.0.0.0/8", BlockedRange.LOOPBACK),
          entry("169.254.0.0/16", BlockedRange.LINK_LOCAL),
          entry("172.16.0.0/12", BlockedRange.PRIVATE),
          entry("192.0.0.0/24", BlockedRange.PROTOCOL_ASSIGNMENTS),
          entry("192.0.2.0/24", BlockedRange.DOCUMENTATION),
          entry("192.88.99.0/24", BlockedRange.RELAY_6TO4),
          entry("192.168.0.0/16", BlockedRange.PRIVATE),
          entry("198.18.0.0/15", BlockedRange.BENCHMARKING),
          entry("198.51.100.0/24", BlockedRange.DOCUMENTATION),
          entry("203.0.113.0/24", BlockedRange.DOCUMENTATION),
          entry("224.0.0.0/4", BlockedRange.MULTICAST),
          entry("255.255.255.255/32", BlockedRange.BROADCAST),
          entry("240.0.0.0/4", BlockedRange.RESERVED));

  private static final List<Entry> IPV6 =
      List.of(
          entry("64:ff9b:1::/48", BlockedRange.LOCAL_NAT64),
          entry("100::/64", BlockedRange.DISCARD),
          entry("2001::/32", BlockedRange.TEREDO),
          entry("2001:2::/48", BlockedRange.BENCHMARKING),
          entry("2001:10::/28", BlockedRange.ORCHID),
          entry("2001:20::/28", BlockedRange.ORCHID),
          entry("2001::/23", BlockedRange.PROTOCOL_ASSIGNMENTS),
          entry("2001:db8::/32", BlockedRange.DOCUMENTATION),
          entry("3fff::/20", BlockedRange.DOCUMENTATION),
          entry("fc00::/7", BlockedRange.UNIQUE_LOCAL),
          entry("fe80::/10", BlockedRange.LINK_LOCAL),
          entry("fec0::/10", BlockedRange.SITE_LOCAL),
          entry("ff00::/8", BlockedRange.MULTICAST));

  private static final Cidr GLOBAL_UNICAST = Cidr.parse("2000::/3");
  private static final Cidr NAT64_WELL_KNOWN = Cidr.parse("64:ff9b::/96");
  private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

  private AddressClassifier() {}

  /** The blocked range the address falls in, or empty when it is an ordinary public address. */
  public static Optional<BlockedRange> classify(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (address instanceof Inet4Address) {
      return classifyV4(bytes);
    }
    if (Cidr.isMapped(bytes)) {
      return classifyV4(Arrays.copyOfRange(bytes, 12, 16));
    }
    if (isZero(bytes, 0, 16)) {
      return Optional.of(BlockedRange.UNSPECIFIED);
    }
    if (isZero(bytes, 0, 15) && bytes[15] == 1) {
      return Optional.of(BlockedRange.LOOPBACK);
    }
    if (isZero(bytes, 0, 12)) {
      // ::a.b.c.d is deprecated and never routed: always blocked, named after the embedded range
      // when that says more (::127.0.0.1 is "loopback").
      Optional<BlockedRange> embedded = classifyV4(Arrays.copyOfRange(bytes, 12, 16));
      if (embedded.isEmpty() || embedded.get() == BlockedRange.UNSPECIFIED) {
        return Optional.of(BlockedRange.IPV4_COMPATIBLE);
      }
      return embedded;
    }
    if (NAT64_WELL_KNOWN.contains(address)) {
      // The translator forwards to the embedded IPv4 address; a public one is a fair target.
      return classifyV4(Arrays.copyOfRange(bytes, 12, 16));
    }
    if (SIX_TO_FOUR.contains(address)) {
      return classifyV4(Arrays.copyOfRange(bytes, 2, 6));
    }
    for (Entry entry : IPV6) {
      if (entry.network().contains(address)) {
        return Optional.of(entry.range());
      }
    }
    if (!GLOBAL_UNICAST.contains(address)) {
      return Optional.of(BlockedRange.RESERVED);
    }
    return Optional.empty();
  }

  private static Optional<BlockedRange> classifyV4(byte[] bytes) {
    InetAddress v4 = v4(bytes);
    for (Entry entry : IPV4) {
      if (entry.network().contains(v4)) {
        return Optional.of(entry.range());
      }
    }
    return Optional.empty();
  }

  private static InetAddress v4(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 bytes expected", e);
    }
  }

  private static boolean isZero(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static Entry entry(String cidr, BlockedRange range) {
    return new Entry(Cidr.parse(cidr), range);
  }
}
