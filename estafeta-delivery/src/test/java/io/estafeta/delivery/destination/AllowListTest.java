package io.estafeta.delivery.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AllowListTest {

  @Test
  void parsesTheLoopbackExample() {
    AllowList list = AllowList.parse("127.0.0.0/8,::1/128");

    assertThat(list.networks()).containsExactly(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));
    assertThat(list.contains(InetAddress.ofLiteral("127.0.0.1"))).isTrue();
    assertThat(list.contains(InetAddress.ofLiteral("127.200.0.9"))).isTrue();
    assertThat(list.contains(InetAddress.ofLiteral("::1"))).isTrue();
    assertThat(list.contains(InetAddress.ofLiteral("128.0.0.1"))).isFalse();
    assertThat(list.contains(InetAddress.ofLiteral("::2"))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", ",", " , ,"})
  void blankTextIsAnEmptyList(String text) {
    AllowList list = AllowList.parse(text);

    assertThat(list.isEmpty()).isTrue();
    assertThat(list.contains(InetAddress.ofLiteral("127.0.0.1"))).isFalse();
  }

  @Test
  void toleratesSpacesAndATrailingComma() {
    AllowList list = AllowList.parse(" 10.0.0.0/8 , fd00::/8 ,");

    assertThat(list.networks()).hasSize(2);
    assertThat(list).hasToString("10.0.0.0/8,fd00:0:0:0:0:0:0:0/8");
  }

  @Test
  void aBareAddressIsASingleHost() {
    assertThat(Cidr.parse("192.168.1.20")).isEqualTo(Cidr.parse("192.168.1.20/32"));
    assertThat(Cidr.parse("::1")).isEqualTo(Cidr.parse("::1/128"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "10.0.0.0/33          | 10.0.0.0/33",
        "10.0.0/8             | 10.0.0/8",
        "banana               | banana",
        "10.0.0.1/8           | did you mean 10.0.0.0/8?",
        "::1/129              | ::1/129",
        "fe80::1%eth0/64      | fe80::1%eth0/64",
        "[::1]/128            | [::1]/128",
        "10.0.0.0/-1          | 10.0.0.0/-1",
        "10.0.0.0/            | 10.0.0.0/",
        "0x7f.0.0.1/8         | 0x7f.0.0.1/8",
        "010.0.0.0/8          | 010.0.0.0/8",
        "localhost/8          | localhost/8",
        "127.0.0.0/8 /8       | 127.0.0.0/8 /8",
      })
  void badEntryIsNamedInTheMessage(String entry, String expectedInMessage) {
    assertThatThrownBy(() -> AllowList.parse("127.0.0.0/8," + entry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(expectedInMessage);
  }

  @Test
  void ipv4NetworkCoversTheMappedIpv6FormOfItsAddresses() throws Exception {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = 127;
    mapped[15] = 1;
    InetAddress mappedLoopback = java.net.Inet6Address.getByAddress(null, mapped, -1);

    assertThat(Cidr.parse("127.0.0.0/8").contains(mappedLoopback)).isTrue();
    assertThat(Cidr.parse("::1/128").contains(mappedLoopback)).isFalse();
  }

  @Test
  void familiesDoNotMix() {
    assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddress.ofLiteral("::1"))).isFalse();
    assertThat(Cidr.parse("::/0").contains(InetAddress.ofLiteral("10.0.0.1"))).isFalse();
    assertThat(Cidr.parse("::/0").contains(InetAddress.ofLiteral("2001:db8::1"))).isTrue();
  }

  @Test
  void prefixBoundariesAreExact() {
    Cidr net = Cidr.parse("172.16.0.0/12");

    assertThat(net.contains(InetAddress.ofLiteral("172.16.0.0"))).isTrue();
    assertThat(net.contains(InetAddress.ofLiteral("172.31.255.255"))).isTrue();
    assertThat(net.contains(InetAddress.ofLiteral("172.15.255.255"))).isFalse();
    assertThat(net.contains(InetAddress.ofLiteral("172.32.0.0"))).isFalse();
    Cidr v6 = Cidr.parse("fe80::/10");
    assertThat(v6.contains(InetAddress.ofLiteral("febf:ffff::1"))).isTrue();
    assertThat(v6.contains(InetAddress.ofLiteral("fec0::1"))).isFalse();
  }
}
