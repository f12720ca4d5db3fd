package io.layercake.http.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which addresses outbound webhooks must never reach, in IPv4, IPv6 and the IPv6 forms that carry IPv4. */
class NonPublicAddressesTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "127.0.0.1, loopback",
    "127.255.255.254, loopback",
    "0.0.0.0, unspecified",
    "10.1.2.3, private",
    "172.16.0.1, private",
    "172.31.255.255, private",
    "192.168.1.10, private",
    "100.64.0.1, carrier-grade NAT",
    "100.127.255.255, carrier-grade NAT",
    "169.254.1.1, link-local",
    "169.254.169.254, cloud metadata",
    "169.254.170.2, cloud metadata",
    "100.100.100.200, cloud metadata",
    "192.0.0.192, cloud metadata",
    "224.0.0.1, multicast",
    "239.255.255.250, multicast",
    "255.255.255.255, reserved",
    "::1, loopback",
    "::, unspecified",
    "fc00::1, private",
    "fd12:3456::1, private",
    "fd00:ec2::254, cloud metadata",
    "fe80::1, link-local",
    "ff02::1, multicast",
    "::ffff:127.0.0.1, loopback",
    "::ffff:169.254.169.254, cloud metadata",
    "::ffff:10.0.0.1, private",
    "::10.0.0.1, private",
    "64:ff9b::7f00:1, loopback",
    "2002:a00:1::, private",
  })
  void nonPublicAddressesAreNamed(String literal, String kind) throws UnknownHostException {
    assertThat(NonPublicAddresses.classify(InetAddress.getByName(literal))).contains(kind);
  }

  @ParameterizedTest
  @ValueSource(strings = {"93.184.215.14", "8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "169.253.255.255",
      "2606:4700:4700::1111", "2a00:1450:4001:82a::200e", "::ffff:8.8.8.8"})
  void publicAddressesPass(String literal) throws UnknownHostException {
    assertThat(NonPublicAddresses.classify(InetAddress.getByName(literal))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "169.254.169.254", "10.0.0.1"})
  void anIpv4MappedAddressKeptAsIpv6IsJudgedByItsIpv4(String literal) throws UnknownHostException {
    byte[] v4 = InetAddress.getByName(literal).getAddress();
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    System.arraycopy(v4, 0, mapped, 12, 4);
    InetAddress v6 = Inet6Address.getByAddress(null, mapped, -1);

    assertThat(v6).isInstanceOf(Inet6Address.class);
    assertThat(NonPublicAddresses.classify(v6)).isEqualTo(NonPublicAddresses.classify(InetAddress.getByName(literal)));
    assertThat(NonPublicAddresses.classify(v6)).isPresent();
  }
}
