package io.appmetricsproxy.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 range, parsed from a literal without any DNS lookup; IPv4-mapped IPv6 addresses
 * ({@code ::ffff:10.1.2.3}) are IPv4 addresses.
 */
public record Cidr(InetAddress network, int prefix) {
  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6 = Pattern.compile("(?=.*:)[0-9A-Fa-f:][0-9A-Fa-f:.]*");

  public Cidr {
    if (prefix < 0 || prefix > bytes(network).length * 8) {
      throw new IllegalArgumentException("prefix out of range: " + prefix);
    }
  }

  /**
   * Parses {@code 10.0.0.0/8}, {@code fd00::/8} or a single address.
   *
   * @throws IllegalArgumentException for anything else, host names included
   */
  public static Cidr parse(String text) {
    int slash = text.indexOf('/');
    String literal = slash < 0 ? text : text.substring(0, slash);
    InetAddress address = address(literal);
    int bits = bytes(address).length * 8;
    if (slash < 0) {
      return new Cidr(address, bits);
    }
    String prefixText = text.substring(slash + 1);
    if (!prefixText.matches("\\d{1,3}")) {
      throw new IllegalArgumentException("not a prefix length: " + prefixText);
    }
    int prefix = Integer.parseInt(prefixText);
    if (address instanceof Inet4Address && literal.contains(":")) {
      prefix -= 96; // an IPv4-mapped range such as ::ffff:10.0.0.0/104
    }
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException("prefix out of range: " + prefixText);
    }
    return new Cidr(address, prefix);
  }

  /**
   * An IP address literal, never looked up: dotted-quad IPv4 or IPv6 (no brackets, no zone).
   *
   * @throws IllegalArgumentException for anything else
   */
  public static InetAddress address(String literal) {
    try {
      Matcher v4 = IPV4.matcher(literal);
      if (v4.matches()) {
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
          int octet = Integer.parseInt(v4.group(i + 1));
          if (octet > 255) {
            throw new IllegalArgumentException("not an IPv4 address: " + literal);
          }
          b[i] = (byte) octet;
        }
        return InetAddress.getByAddress(b);
      }
      if (IPV6.matcher(literal).matches()) {
        // Starting with a hex digit or ':' and holding a ':', the JDK parses it as IPv6, never
        // resolves it.
        return unmapped(InetAddress.getByName(literal));
      }
    } catch (UnknownHostException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("not an IP address: " + literal);
  }

  /** Whether {@code address} lies in this range; an IPv4 range never holds an IPv6 address. */
  public boolean contains(InetAddress address) {
    byte[] net = bytes(network);
    byte[] other = bytes(unmapped(address));
    if (net.length != other.length) {
      return false;
    }
    int full = prefix / 8;
    if (!Arrays.equals(net, 0, full, other, 0, full)) {
      return false;
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xff << (8 - rest);
    return ((net[full] ^ other[full]) & mask) == 0;
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefix;
  }

  private static byte[] bytes(InetAddress address) {
    return address.getAddress();
  }

  /**
   * The JDK already turns most mapped literals into IPv4; this covers addresses built otherwise.
   */
  private static InetAddress unmapped(InetAddress address) {
    byte[] b = address.getAddress();
    if (address instanceof Inet6Address && b.length == 16 && isMapped(b)) {
      try {
        return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e); // cannot happen for four bytes
      }
    }
    return address;
  }

  private static boolean isMapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
  }
}
