package io.estafeta.delivery.destination;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The policy over the real JDK resolver for odd spellings, and over injected resolvers for names.
 *
 * <p>Network rule: no socket is opened here. Every host given to the JDK resolver below is either
 * an IP literal, which {@code InetAddress.getAllByName} parses locally, a spelling the JDK rejects
 * before any lookup, or a name in the localhost domain, which the policy answers from "localhost"
 * (the hosts file). This was checked with a resolver provider that fails on any lookup.
 */
class DestinationPolicyTest {

  private final DestinationPolicy blockAll = new DestinationPolicy(AllowList.empty());

  /**
   * What JDK 25's {@code InetAddress.getAllByName} does with odd spellings of a host, and the
   * policy's verdict. {@code address} is the (first) resolved address; {@code -} when none.
   */
  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // plain forms
        "127.0.0.1                 | loopback             | 127.0.0.1",
        "0.0.0.0                   | unspecified          | 0.0.0.0",
        "169.254.169.254           | link-local           | 169.254.169.254",
        // one decimal number is read as the whole 32-bit address
        "2130706433                | loopback             | 127.0.0.1",
        "2852039166                | link-local           | 169.254.169.254",
        "4294967295                | broadcast            | 255.255.255.255",
        "0                         | unspecified          | 0.0.0.0",
        // BSD short forms: the last part fills the remaining bytes
        "127.1                     | loopback             | 127.0.0.1",
        "127.0.1                   | loopback             | 127.0.0.1",
        "10.1                      | private              | 10.0.0.1",
        // leading zeros are DECIMAL to the JDK (inet_aton would read octal; 0177 = 127)
        "127.000.000.001           | loopback             | 127.0.0.1",
        "0127.0.0.1                | loopback             | 127.0.0.1",
        "127.0.0.01                | loopback             | 127.0.0.1",
        "0177.0.0.1                | public               | 177.0.0.1",
        // hex and octal whole-number forms are refused as ambiguous literals; no lookup happens
        "0x7f.1                    | unresolvable         | -",
        "0x7f000001                | unresolvable         | -",
        "0x7f.0x0.0x0.0x1          | unresolvable         | -",
        "017700000001              | unresolvable         | -",
        "0xA9FEA9FE                | unresolvable         | -",
        "0000000000000000000127.0.0.1 | unresolvable      | -",
        // IPv6 literals in URL brackets; the JDK turns ::ffff:a.b.c.d into the IPv4 address
        "[::1]                     | loopback             | 0:0:0:0:0:0:0:1",
        "[0:0:0:0:0:0:0:1]         | loopback             | 0:0:0:0:0:0:0:1",
        "[::]                      | unspecified          | 0:0:0:0:0:0:0:0",
        "[::ffff:127.0.0.1]        | loopback             | 127.0.0.1",
        "[::ffff:7f00:1]           | loopback             | 127.0.0.1",
        "[::FFFF:A9FE:A9FE]        | link-local           | 169.254.169.254",
        "[::ffff:169.254.169.254]  | link-local           | 169.254.169.254",
        "[::127.0.0.1]             | loopback             | 0:0:0:0:0:0:7f00:1",
        "[FE80::1]                 | link-local           | fe80:0:0:0:0:0:0:1",
        "[FD00::ABCD]              | unique-local         | fd00:0:0:0:0:0:0:abcd",
        "[64:ff9b::a9fe:a9fe]      | link-local           | 64:ff9b:0:0:0:0:a9fe:a9fe",
        "[64:FF9B::7F00:1]         | loopback             | 64:ff9b:0:0:0:0:7f00:1",
        "[2002:7f00:1::]           | loopback             | 2002:7f00:1:0:0:0:0:0",
        "[2001:db8::1]             | documentation        | 2001:db8:0:0:0:0:0:1",
        // unbracketed IPv6 (java.net.URI cannot parse these, HttpClient passes them on as text)
        "::1                       | loopback             | 0:0:0:0:0:0:0:1",
        "::ffff:10.0.0.1           | private              | 10.0.0.1",
        // an IPv4 literal inside brackets is not an IPv6 literal
        "[127.0.0.1]               | unresolvable         | -",
        // trailing dots: one is dropped (same DNS name); then the literal parses without DNS
        "127.0.0.1.                | loopback             | 127.0.0.1",
        "2130706433.               | loopback             | 127.0.0.1",
        "127.0.0.1..               | unresolvable         | -",
        // the localhost domain (RFC 6761) never leaves the machine
        "localhost                 | loopback             | 127.0.0.1",
        "localhost.                | loopback             | 127.0.0.1",
        "LOCALHOST                 | loopback             | 127.0.0.1",
        "LocalHost.                | loopback             | 127.0.0.1",
        "metadata.localhost        | loopback             | 127.0.0.1",
        // public literals pass
        "8.8.8.8                   | public               | 8.8.8.8",
        "[2606:4700:4700::1111]    | public               | 2606:4700:4700:0:0:0:0:1111",
        "[::ffff:8.8.8.8]          | public               | 8.8.8.8",
        "[64:ff9b::808:808]        | public               | 64:ff9b:0:0:0:0:808:808",
        "[2002:808:808::1]         | public               | 2002:808:808:0:0:0:0:1",
      })
  void resolvesOddSpellingsAsTheJdkDoes(String host, String expected, String address) {
    DestinationVerdict verdict = blockAll.check(host);

    switch (verdict) {
      case DestinationVerdict.Blocked b -> {
        assertThat(b.range()).as(host).isEqualTo(expected);
        assertThat(b.address().getHostAddress()).isEqualTo(address);
        assertThat(b.host()).isEqualTo(host);
      }
      case DestinationVerdict.Allowed a -> {
        assertThat("public").as(host).isEqualTo(expected);
        assertThat(a.addresses().getFirst().getHostAddress()).isEqualTo(address);
      }
      case DestinationVerdict.Unresolvable u -> {
        assertThat("unresolvable").as(host + ": " + u.message()).isEqualTo(expected);
        assertThat(u.message()).contains(host);
      }
    }
  }

  @Test
  void ambiguousLiteralIsUnresolvableWithTheJdksReason() {
    DestinationVerdict verdict = blockAll.check("0x7f.1");

    assertThat(verdict)
        .isEqualTo(
            new DestinationVerdict.Unresolvable(
                "0x7f.1", "'0x7f.1': Invalid IP address literal: 0x7f.1"));
  }

  @Test
  void emptyHostIsUnresolvableNotLoopback() {
    // InetAddress.getAllByName("") answers the loopback address.
    assertThat(blockAll.check("")).isInstanceOf(DestinationVerdict.Unresolvable.class);
    assertThat(blockAll.check(null)).isInstanceOf(DestinationVerdict.Unresolvable.class);
    assertThat(blockAll.check(".")).isInstanceOf(DestinationVerdict.Unresolvable.class);
  }

  @Test
  void loopbackAllowListLetsLoopbackSpellingsThrough() {
    DestinationPolicy policy = new DestinationPolicy(AllowList.parse("127.0.0.0/8,::1/128"));

    for (String host :
        List.of("127.0.0.1", "2130706433", "127.1", "[::1]", "[::ffff:127.0.0.1]", "localhost.")) {
      assertThat(policy.check(host)).as(host).isInstanceOf(DestinationVerdict.Allowed.class);
    }
    // Only loopback is exempt; the rest of the block list still applies.
    assertThat(policy.check("169.254.169.254")).isInstanceOf(DestinationVerdict.Blocked.class);
    assertThat(policy.check("10.0.0.1")).isInstanceOf(DestinationVerdict.Blocked.class);
    assertThat(policy.check("[::127.0.0.1]")).isInstanceOf(DestinationVerdict.Blocked.class);
  }

  @Test
  void ipv4AllowListDoesNotExemptIpv6Loopback() {
    DestinationPolicy policy = new DestinationPolicy(AllowList.parse("127.0.0.0/8"));

    assertThat(policy.check("127.0.0.1")).isInstanceOf(DestinationVerdict.Allowed.class);
    assertThat(policy.check("[::1]")).isInstanceOf(DestinationVerdict.Blocked.class);
  }

  // --- names, answered by an injected resolver (no DNS) ---

  @Test
  void oneBlockedAddressBlocksTheWholeName() {
    DestinationPolicy policy =
        new DestinationPolicy(
            AllowList.empty(), fixed("8.8.8.8", "2606:4700:4700::1111", "10.0.0.5"));

    DestinationVerdict verdict = policy.check("hooks.example.com");

    assertThat(verdict)
        .isEqualTo(
            new DestinationVerdict.Blocked(
                "hooks.example.com", InetAddress.ofLiteral("10.0.0.5"), "private"));
    assertThat(((DestinationVerdict.Blocked) verdict).message())
        .isEqualTo("hooks.example.com resolves to 10.0.0.5, a private address");
  }

  @Test
  void allowedNameKeepsEveryAddressInResolverOrder() {
    DestinationPolicy policy =
        new DestinationPolicy(AllowList.empty(), fixed("2606:4700:4700::1111", "1.1.1.1"));

    DestinationVerdict verdict = policy.check("hooks.example.com");

    assertThat(verdict)
        .isEqualTo(
            new DestinationVerdict.Allowed(
                "hooks.example.com",
                List.of(
                    InetAddress.ofLiteral("2606:4700:4700::1111"),
                    InetAddress.ofLiteral("1.1.1.1"))));
  }

  @Test
  void nameResolvingToMetadataAddressIsBlocked() {
    DestinationPolicy policy = new DestinationPolicy(AllowList.empty(), fixed("169.254.169.254"));

    DestinationVerdict.Blocked verdict =
        (DestinationVerdict.Blocked) policy.check("rebind.example.net");

    assertThat(verdict.range()).isEqualTo("link-local");
  }

  @Test
  void nameResolvingToMappedInet6AddressIsJudgedByItsIpv4() throws UnknownHostException {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = (byte) 192;
    mapped[13] = (byte) 168;
    mapped[15] = 1;
    InetAddress address = Inet6Address.getByAddress(null, mapped, -1);
    DestinationPolicy policy = new DestinationPolicy(AllowList.empty(), host -> List.of(address));

    assertThat(policy.check("sneaky.example.net"))
        .isInstanceOfSatisfying(
            DestinationVerdict.Blocked.class, b -> assertThat(b.range()).isEqualTo("private"));
  }

  @Test
  void allowListExemptsOnlyItsNetworks() {
    AllowList internal = AllowList.parse("10.0.0.0/8");

    assertThat(new DestinationPolicy(internal, fixed("10.0.0.5", "10.9.9.9")).check("intranet"))
        .isInstanceOf(DestinationVerdict.Allowed.class);
    assertThat(new DestinationPolicy(internal, fixed("10.0.0.5", "192.168.0.1")).check("intranet"))
        .isEqualTo(
            new DestinationVerdict.Blocked(
                "intranet", InetAddress.ofLiteral("192.168.0.1"), "private"));
  }

  @Test
  void resolverFailuresAreUnresolvable() {
    DestinationPolicy failing =
        new DestinationPolicy(
            AllowList.empty(),
            host -> {
              throw new UnknownHostException(host + ": Name or service not known");
            });
    DestinationPolicy empty = new DestinationPolicy(AllowList.empty(), host -> List.of());

    assertThat(failing.check("nowhere.example"))
        .isEqualTo(
            new DestinationVerdict.Unresolvable(
                "nowhere.example",
                "'nowhere.example' cannot be resolved: nowhere.example: Name or service not known"));
    assertThat(empty.check("nowhere.example")).isInstanceOf(DestinationVerdict.Unresolvable.class);
  }

  @Test
  void resolverSeesTheNameWithoutItsTrailingDotAndLocalhostDomainCollapsed() throws Exception {
    List<String> asked = new ArrayList<>();
    DestinationPolicy policy =
        new DestinationPolicy(
            AllowList.empty(),
            host -> {
              asked.add(host);
              return List.of(InetAddress.ofLiteral("93.184.215.14"));
            });

    policy.check("hooks.example.com.");
    policy.check("Hooks.Example.COM");
    policy.check("api.localhost.");
    policy.check("[2606:4700::1]");

    assertThat(asked)
        .containsExactly("hooks.example.com", "Hooks.Example.COM", "localhost", "[2606:4700::1]");
  }

  @Test
  void messagesNameTheRange() {
    assertThat(((DestinationVerdict.Blocked) blockAll.check("127.0.0.1")).message())
        .isEqualTo("127.0.0.1 is a loopback address");
    assertThat(((DestinationVerdict.Blocked) blockAll.check("[::1]")).message())
        .isEqualTo("[::1] is a loopback address");
    assertThat(((DestinationVerdict.Blocked) blockAll.check("localhost")).message())
        .isEqualTo("localhost resolves to 127.0.0.1, a loopback address");
    assertThat(((DestinationVerdict.Blocked) blockAll.check("100.64.0.1")).message())
        .isEqualTo("100.64.0.1 is a carrier-grade NAT (shared) address");
  }

  @Test
  void checkOfOneAddressHonoursTheAllowList() {
    DestinationPolicy policy = new DestinationPolicy(AllowList.parse("192.168.0.0/16"));

    assertThat(policy.blockedRange(InetAddress.ofLiteral("192.168.3.4"))).isEmpty();
    assertThat(policy.blockedRange(InetAddress.ofLiteral("172.16.0.1")))
        .contains(BlockedRange.PRIVATE);
    assertThat(policy.blockedRange(InetAddress.ofLiteral("203.0.114.1"))).isEmpty();
  }

  private static HostResolver fixed(String... literals) {
    List<InetAddress> addresses = new ArrayList<>();
    for (String literal : literals) {
      addresses.add(InetAddress.ofLiteral(literal));
    }
    return host -> addresses;
  }
}
