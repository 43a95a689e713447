package io.estafeta.delivery.destination;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network in CIDR notation, such as {@code 10.0.0.0/8} or {@code fd00::/8}.
 *
 * <p>Host bits must be zero: {@code 10.0.0.1/8} is refused (with a suggestion) rather than silently
 * widened, because in an allow-list a typo should stop start-up, not exempt a network by accident.
 */
public record Cidr(InetAddress network, int prefixLength) {

  // Strict dotted quad: the JDK also reads "10.1" or "167772161" as IPv4, which is fine for a URL
  // host but too surprising in a network list.
  private static final Pattern DOTTED_QUAD =
      Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");

  public Cidr {
    Objects.requireNonNull(network, "network");
    int bits = network.getAddress().length * 8;
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException(
          "prefix length " + prefixLength + " is outside 0.." + bits + " for " + literal(network));
    }
    byte[] masked = mask(network.getAddress(), prefixLength);
    if (!Arrays.equals(masked, network.getAddress())) {
      throw new IllegalArgumentException(
          "host bits are set in "
              + literal(network)
              + "/"
              + prefixLength
              + " (did you mean "
              + literal(addressOf(masked))
              + "/"
              + prefixLength
              + "?)");
    }
  }

  /**
   * Parses {@code address/prefix}; a bare address is a single host ({@code /32} or {@code /128}).
   * Never resolves names.
   *
   * @throws IllegalArgumentException naming the text when it is not a CIDR
   */
  public static Cidr parse(String text) {
    Objects.requireNonNull(text, "text");
    String trimmed = text.strip();
    int slash = trimmed.indexOf('/');
    String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
    InetAddress address = parseLiteral(addressText, text);
    int prefix;
    if (slash < 0) {
      prefix = address.getAddress().length * 8;
    } else {
      String prefixText = trimmed.substring(slash + 1);
      if (!prefixText.matches("[0-9]{1,3}")) {
        throw new IllegalArgumentException("'" + text + "' has no valid prefix length");
      }
      prefix = Integer.parseInt(prefixText);
    }
    try {
      return new Cidr(address, prefix);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "': " + e.getMessage(), e);
    }
  }

  private static InetAddress parseLiteral(String addressText, String whole) {
    boolean v6 = addressText.indexOf(':') >= 0;
    if (addressText.isEmpty()
        || addressText.indexOf('%') >= 0
        || addressText.indexOf('[') >= 0
        || (!v6 && !DOTTED_QUAD.matcher(addressText).matches())) {
      throw new IllegalArgumentException(
          "'" + whole + "' is not an IPv4 or IPv6 network (expected e.g. 10.0.0.0/8 or fd00::/8)");
    }
    try {
      return InetAddress.ofLiteral(addressText);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + whole + "' is not an IPv4 or IPv6 network (expected e.g. 10.0.0.0/8 or fd00::/8)",
          e);
    }
  }

  /**
   * Whether the address lies in this network. An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d})
   * is the IPv4 address it carries: it is the same connection on the wire.
   */
  public boolean contains(InetAddress address) {
    byte[] candidate = comparable(address);
    byte[] net = network.getAddress();
    if (candidate.length != net.length) {
      return false;
    }
    return Arrays.equals(mask(candidate, prefixLength), net);
  }

  @Override
  public String toString() {
    return literal(network) + "/" + prefixLength;
  }

  static byte[] comparable(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (address instanceof Inet6Address && isMapped(bytes)) {
      return Arrays.copyOfRange(bytes, 12, 16);
    }
    return bytes;
  }

  static boolean isMapped(byte[] v6) {
    for (int i = 0; i < 10; i++) {
      if (v6[i] != 0) {
        return false;
      }
    }
    return (v6[10] & 0xff) == 0xff && (v6[11] & 0xff) == 0xff;
  }

  private static byte[] mask(byte[] address, int prefix) {
    byte[] out = address.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.clamp(prefix - i * 8L, 0, 8);
      out[i] = (byte) (out[i] & (0xff00 >> keep));
    }
    return out;
  }

  private static InetAddress addressOf(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes expected", e);
    }
  }

  private static String literal(InetAddress address) {
    return address.getHostAddress();
  }
}
