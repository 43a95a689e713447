package io.estafeta.delivery.destination;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The networks exempt from the destination block list ({@code ESTAFETA_ALLOW_NETWORKS}): a
 * comma-separated list of CIDRs, empty by default.
 */
public record AllowList(List<Cidr> networks) {

  private static final AllowList EMPTY = new AllowList(List.of());

  public AllowList {
    networks = List.copyOf(networks);
  }

  public static AllowList empty() {
    return EMPTY;
  }

  /**
   * Parses {@code "127.0.0.0/8,::1/128"}. Blank text, and blank entries between commas, mean
   * nothing.
   *
   * @throws IllegalArgumentException whose message names the first bad entry
   */
  public static AllowList parse(String text) {
    Objects.requireNonNull(text, "text");
    List<Cidr> parsed = new ArrayList<>();
    for (String entry : text.split(",", -1)) {
      if (!entry.isBlank()) {
        parsed.add(Cidr.parse(entry.strip()));
      }
    }
    return parsed.isEmpty() ? EMPTY : new AllowList(parsed);
  }

  public boolean isEmpty() {
    return networks.isEmpty();
  }

  public boolean contains(InetAddress address) {
    for (Cidr network : networks) {
      if (network.contains(address)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return networks.stream().map(Cidr::toString).reduce((a, b) -> a + "," + b).orElse("");
  }
}
