package io.estafeta.delivery.destination;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/** What {@link DestinationPolicy#check} decided about a host. */
public sealed interface DestinationVerdict {

  String host();

  /** Every resolved address passed; connect to these and no others. */
  record Allowed(String host, List<InetAddress> addresses) implements DestinationVerdict {
    public Allowed {
      Objects.requireNonNull(host, "host");
      addresses = List.copyOf(addresses);
      if (addresses.isEmpty()) {
        throw new IllegalArgumentException("an allowed destination has at least one address");
      }
    }
  }

  /**
   * At least one resolved address is in a blocked range. {@code range} is a {@link BlockedRange}
   * label such as {@code "loopback"}.
   */
  record Blocked(String host, InetAddress address, String range) implements DestinationVerdict {
    public Blocked {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(range, "range");
    }

    /**
     * {@code "127.0.0.1 is a loopback address"} for a literal host, {@code "db.example resolves to
     * 10.0.0.5, a private address"} for a name.
     */
    public String message() {
      String phrase =
          BlockedRange.ofLabel(range).map(BlockedRange::phrase).orElse("a blocked address");
      if (isLiteralOf(host, address)) {
        return host + " is " + phrase;
      }
      return host + " resolves to " + address.getHostAddress() + ", " + phrase;
    }

    private static boolean isLiteralOf(String host, InetAddress address) {
      String bare =
          host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
      try {
        return InetAddress.ofLiteral(bare).equals(address);
      } catch (IllegalArgumentException notALiteral) {
        return false;
      }
    }
  }

  /** The host has no address: bad literal, unknown name, or a resolver failure. */
  record Unresolvable(String host, String message) implements DestinationVerdict {
    public Unresolvable {
      Objects.requireNonNull(message, "message");
    }
  }
}
