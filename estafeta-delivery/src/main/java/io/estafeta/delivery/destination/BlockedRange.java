package io.estafeta.delivery.destination;

import java.util.Arrays;
import java.util.Optional;

/** The address ranges a webhook may not reach unless they are in the allow-list. */
public enum BlockedRange {
  UNSPECIFIED("unspecified", "an unspecified address"),
  LOOPBACK("loopback", "a loopback address"),
  PRIVATE("private", "a private address"),
  LINK_LOCAL("link-local", "a link-local address"),
  CGNAT("cgnat", "a carrier-grade NAT (shared) address"),
  MULTICAST("multicast", "a multicast address"),
  BROADCAST("broadcast", "a broadcast address"),
  BENCHMARKING("benchmarking", "a benchmarking address"),
  DOCUMENTATION("documentation", "a documentation address"),
  PROTOCOL_ASSIGNMENTS("protocol-assignments", "an IETF protocol assignment address"),
  RESERVED("reserved", "a reserved address"),
  RELAY_6TO4("6to4-relay", "a 6to4 relay anycast address"),
  UNIQUE_LOCAL("unique-local", "a unique-local address"),
  SITE_LOCAL("site-local", "a site-local address"),
  IPV4_COMPATIBLE("ipv4-compatible", "an IPv4-compatible IPv6 address"),
  LOCAL_NAT64("local-nat64", "a local-use NAT64 address"),
  TEREDO("teredo", "a Teredo address"),
  ORCHID("orchid", "an ORCHID address"),
  DISCARD("discard-only", "a discard-only address");

  private final String label;
  private final String phrase;

  BlockedRange(String label, String phrase) {
    this.label = label;
    this.phrase = phrase;
  }

  /** Short stable name, e.g. {@code "loopback"}; what a refusal reports. */
  public String label() {
    return label;
  }

  /** For messages: {@code "a loopback address"}. */
  public String phrase() {
    return phrase;
  }

  public static Optional<BlockedRange> ofLabel(String label) {
    return Arrays.stream(values()).filter(r -> r.label.equals(label)).findFirst();
  }
}
