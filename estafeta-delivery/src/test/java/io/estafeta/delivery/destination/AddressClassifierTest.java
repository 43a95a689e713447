package io.estafeta.delivery.destination;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Classification only: addresses are built from literals, no socket and no lookup. */
class AddressClassifierTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    // IPv4 special-purpose ranges, with their edges
    "0.0.0.0,               unspecified",
    "0.1.2.3,               unspecified",
    "10.0.0.1,              private",
    "10.255.255.255,        private",
    "172.16.0.1,            private",
    "172.31.255.254,        private",
    "192.168.1.1,           private",
    "100.64.0.1,            cgnat",
    "100.127.255.254,       cgnat",
    "127.0.0.1,             loopback",
    "127.255.255.254,       loopback",
    "169.254.169.254,       link-local",
    "169.254.0.1,           link-local",
    "192.0.0.8,             protocol-assignments",
    "192.0.2.10,            documentation",
    "198.51.100.7,          documentation",
    "203.0.113.200,         documentation",
    "192.88.99.1,           6to4-relay",
    "198.18.0.1,            benchmarking",
    "198.19.255.255,        benchmarking",
    "224.0.0.1,             multicast",
    "239.255.255.250,       multicast",
    "255.255.255.255,       broadcast",
    "240.0.0.1,             reserved",
    "255.255.255.254,       reserved",
    // IPv4 public, including the neighbours of blocked ranges
    "8.8.8.8,               public",
    "1.1.1.1,               public",
    "93.184.215.14,         public",
    "11.0.0.1,              public",
    "9.255.255.255,         public",
    "126.255.255.255,       public",
    "128.0.0.0,             public",
    "172.15.255.255,        public",
    "172.32.0.1,            public",
    "192.167.255.255,       public",
    "192.169.0.0,           public",
    "100.63.255.255,        public",
    "100.128.0.0,           public",
    "169.253.255.255,       public",
    "198.17.255.255,        public",
    "198.20.0.0,            public",
    "223.255.255.255,       public",
    "177.0.0.1,             public",
    // IPv6 unspecified, loopback, IPv4-compatible (::/96)
    "::,                    unspecified",
    "::1,                   loopback",
    "::2,                   ipv4-compatible",
    "::127.0.0.1,           loopback",
    "::10.0.0.1,            private",
    "::169.254.169.254,     link-local",
    "::8.8.8.8,             ipv4-compatible",
    // NAT64: the well-known prefix is judged by the IPv4 inside; local-use is blocked outright
    "64:ff9b::7f00:1,       loopback",
    "64:ff9b::a9fe:a9fe,    link-local",
    "64:ff9b::c0a8:101,     private",
    "64:ff9b::a00:1,        private",
    "64:ff9b::808:808,      public",
    "64:ff9b:1::1,          local-nat64",
    "64:ff9b:1:ffff::1,     local-nat64",
    // 6to4: 2002:AABB:CCDD::/48 carries AA.BB.CC.DD
    "2002:7f00:1::1,        loopback",
    "2002:a00:1::1,         private",
    "2002:a9fe:a9fe::1,     link-local",
    "2002:c0a8:1::1,        private",
    "2002:808:808::1,       public",
    // IETF protocol assignments 2001::/23 and what is carved from it
    "2001::1,                         teredo",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2, teredo",
    "2001:1::1,                       protocol-assignments",
    "2001:2::1,                       benchmarking",
    "2001:10::1,                      orchid",
    "2001:20::1,                      orchid",
    "2001:1ff::1,                     protocol-assignments",
    // documentation, local scopes, multicast, discard
    "2001:db8::1,           documentation",
    "2001:db8:ffff::1,      documentation",
    "3fff::1,               documentation",
    "fc00::1,               unique-local",
    "fd12:3456:789a::1,     unique-local",
    "fe80::1,               link-local",
    "FE80::ABCD,            link-local",
    "febf::1,               link-local",
    "fec0::1,               site-local",
    "ff02::1,               multicast",
    "ff05::1:3,             multicast",
    "100::1,                discard-only",
    // outside 2000::/3 is reserved (includes ::ffff:0:a.b.c.d, the SIIT form, and SRv6 5f00::/16)
    "::ffff:0:7f00:1,       reserved",
    "1::1,                  reserved",
    "4000::1,               reserved",
    "5f00::1,               reserved",
    "e000::1,               reserved",
    // IPv6 public
    "2606:4700:4700::1111,  public",
    "2001:4860:4860::8888,  public",
    "2a00:1450:4001::1,     public",
    "2400:cb00::1,          public",
    "2001:200::1,           public",
    "2c0f:fb50::1,          public",
  })
  void classifiesAddress(String literal, String expected) {
    InetAddress address = InetAddress.ofLiteral(literal);

    assertThat(label(address)).isEqualTo(expected);
  }

  /**
   * The JDK turns {@code ::ffff:a.b.c.d} literals into {@code Inet4Address}, but a resolver may
   * still hand back an {@code Inet6Address} holding the mapped bytes; it must be judged the same.
   */
  @ParameterizedTest(name = "::ffff:{0} as Inet6Address -> {1}")
  @CsvSource({
    "127.0.0.1,       loopback",
    "169.254.169.254, link-local",
    "10.1.2.3,        private",
    "100.64.1.1,      cgnat",
    "0.0.0.0,         unspecified",
    "224.0.0.251,     multicast",
    "8.8.8.8,         public",
  })
  void judgesMappedInet6AddressByItsIpv4(String ipv4, String expected) throws UnknownHostException {
    byte[] v4 = InetAddress.ofLiteral(ipv4).getAddress();
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    System.arraycopy(v4, 0, mapped, 12, 4);

    Inet6Address address = Inet6Address.getByAddress(null, mapped, -1);

    assertThat(address).isInstanceOf(Inet6Address.class);
    assertThat(label(address)).isEqualTo(expected);
  }

  @Test
  void everyRangeHasALabelAndAPhrase() {
    for (BlockedRange range : BlockedRange.values()) {
      assertThat(range.label()).isNotBlank();
      assertThat(range.phrase()).endsWith("address");
      assertThat(BlockedRange.ofLabel(range.label())).contains(range);
    }
  }

  private static String label(InetAddress address) {
    return AddressClassifier.classify(address).map(BlockedRange::label).orElse("public");
  }
}
