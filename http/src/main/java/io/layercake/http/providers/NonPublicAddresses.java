package io.layercake.http.providers;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Tells whether an address is one an outbound request chosen by a tenant must never reach: loopback,
 * unspecified, private (RFC 1918, fc00::/7), carrier-grade NAT (100.64/10), link-local, multicast,
 * broadcast and reserved ranges, and the cloud metadata endpoints. IPv6 forms that carry an IPv4 address
 * (IPv4-mapped, IPv4-compatible, NAT64, 6to4) are judged by the IPv4 address they carry.
 */
public final class NonPublicAddresses {
  private static final List<Range> METADATA = List.of(
      new Range("169.254.169.254", 32, "cloud metadata"),
      new Range("169.254.170.2", 32, "cloud metadata"),
      new Range("100.100.100.200", 32, "cloud metadata"),
      new Range("192.0.0.192", 32, "cloud metadata"),
      new Range("fd00:ec2::254", 128, "cloud metadata"));

  private static final List<Range> V4 = List.of(
      new Range("0.0.0.0", 8, "unspecified"),
      new Range("10.0.0.0", 8, "private"),
      new Range("100.64.0.0", 10, "carrier-grade NAT"),
      new Range("127.0.0.0", 8, "loopback"),
      new Range("169.254.0.0", 16, "link-local"),
      new Range("172.16.0.0", 12, "private"),
      new Range("192.0.0.0", 24, "reserved"),
      new Range("192.0.2.0", 24, "reserved"),
      new Range("192.88.99.0", 24, "reserved"),
      new Range("192.168.0.0", 16, "private"),
      new Range("198.18.0.0", 15, "reserved"),
      new Range("198.51.100.0", 24, "reserved"),
      new Range("203.0.113.0", 24, "reserved"),
      new Range("224.0.0.0", 4, "multicast"),
      new Range("240.0.0.0", 4, "reserved"));

  private static final List<Range> V6 = List.of(
      new Range("::", 128, "unspecified"),
      new Range("::1", 128, "loopback"),
      new Range("100::", 64, "reserved"),
      new Range("2001::", 32, "reserved"),
      new Range("2001:db8::", 32, "reserved"),
      new Range("fc00::", 7, "private"),
      new Range("fe80::", 10, "link-local"),
      new Range("fec0::", 10, "private"),
      new Range("ff00::", 8, "multicast"));

  private NonPublicAddresses() {}

  /** Why the address is not a public one (for example "loopback"), or empty when it is public. */
  public static Optional<String> classify(InetAddress address) {
    byte[] bytes = address.getAddress();
    Optional<String> metadata = METADATA.stream().filter(range -> range.contains(bytes)).findFirst().map(Range::reason);
    if (metadata.isPresent()) {
      return metadata;
    }
    if (address instanceof Inet4Address) {
      return V4.stream().filter(range -> range.contains(bytes)).findFirst().map(Range::reason);
    }
    if (address instanceof Inet6Address) {
      Optional<InetAddress> embedded = address.isLoopbackAddress() || address.isAnyLocalAddress()
          ? Optional.empty() : embeddedIpv4(bytes);
      if (embedded.isPresent()) {
        return classify(embedded.get());
      }
      return V6.stream().filter(range -> range.contains(bytes)).findFirst().map(Range::reason);
    }
    return Optional.of("unknown address family");
  }

  /** The IPv4 address an IPv6 address carries: ::ffff:a.b.c.d, ::a.b.c.d, 64:ff9b::a.b.c.d, 2002:aabb:ccdd::. */
  private static Optional<InetAddress> embeddedIpv4(byte[] v6) {
    boolean zeroPrefix = allZero(v6, 0, 10);
    if (zeroPrefix && (v6[10] & 0xff) == 0xff && (v6[11] & 0xff) == 0xff
        || zeroPrefix && v6[10] == 0 && v6[11] == 0 && !allZero(v6, 12, 15)
        || new Range("64:ff9b::", 96, "").contains(v6)) {
      return Optional.of(v4(Arrays.copyOfRange(v6, 12, 16)));
    }
    if (v6[0] == 0x20 && v6[1] == 0x02) {
      return Optional.of(v4(Arrays.copyOfRange(v6, 2, 6)));
    }
    return Optional.empty();
  }

  private static boolean allZero(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static InetAddress v4(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("four bytes are always an IPv4 address", e);
    }
  }

  /** A CIDR block given by a literal address (never resolved) and a prefix length. */
  private record Range(byte[] network, int prefix, String reason) {
    Range(String literal, int prefix, String reason) {
      this(literal(literal), prefix, reason);
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      for (int bit = 0; bit < prefix; bit++) {
        int mask = 0x80 >>> (bit % 8);
        if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }

    private static byte[] literal(String literal) {
      try {
        return InetAddress.getByName(literal).getAddress();
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an address literal: " + literal, e);
      }
    }
  }
}
