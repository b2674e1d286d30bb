package io.appmetricsproxy.serve;

import io.appmetricsproxy.config.AccessSettings;
import io.appmetricsproxy.config.Cidr;
import io.appmetricsproxy.config.Credentials;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Who may use port 2137: the client's address must lie in an allowed range (if any are set), then
 * it must present the Basic credentials (if set).
 *
 * <p>The address is the TCP peer. X-Forwarded-For is not consulted: any client can send it, so
 * trusting it would let anyone claim an allowed address. Behind a reverse proxy, allow the proxy's
 * address and let the proxy restrict its clients.
 */
public final class AccessPolicy {
  /** The outcome for one request. */
  public enum Decision {
    ALLOW,
    /** Address allowed, but credentials missing or wrong: 401. */
    UNAUTHORIZED,
    /** Address not allowed: 403, whatever the credentials. */
    FORBIDDEN
  }

  private final List<Cidr> allowed;
  private final Optional<Credentials> credentials;

  public AccessPolicy(List<Cidr> allowed, Optional<Credentials> credentials) {
    this.allowed = List.copyOf(allowed);
    this.credentials = credentials;
  }

  /** The policy of {@code settings}, or empty when they leave access open. */
  public static Optional<AccessPolicy> of(AccessSettings settings) {
    return settings.accessControlled()
        ? Optional.of(new AccessPolicy(settings.allowCidrs(), settings.credentials()))
        : Optional.empty();
  }

  /**
   * @param remoteAddr the peer's address as the servlet container gives it
   * @param authorization the Authorization header, or null
   */
  public Decision decide(String remoteAddr, String authorization) {
    if (!allowed.isEmpty() && !addressAllowed(remoteAddr)) {
      return Decision.FORBIDDEN;
    }
    if (credentials.isPresent() && !basicMatches(authorization, credentials.get())) {
      return Decision.UNAUTHORIZED;
    }
    return Decision.ALLOW;
  }

  private boolean addressAllowed(String remoteAddr) {
    if (remoteAddr == null) {
      return false;
    }
    int zone = remoteAddr.indexOf('%'); // fe80::1%eth0
    String literal = zone < 0 ? remoteAddr : remoteAddr.substring(0, zone);
    if (literal.startsWith("[") && literal.endsWith("]")) {
      literal = literal.substring(1, literal.length() - 1);
    }
    InetAddress address;
    try {
      address = Cidr.address(literal);
    } catch (IllegalArgumentException ignored) {
      return false;
    }
    return allowed.stream().anyMatch(cidr -> cidr.contains(address));
  }

  private static boolean basicMatches(String authorization, Credentials expected) {
    if (authorization == null) {
      return false;
    }
    String header = authorization.strip();
    int space = header.indexOf(' ');
    if (space < 0 || !header.substring(0, space).equalsIgnoreCase("Basic")) {
      return false;
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(header.substring(space + 1).strip());
    } catch (IllegalArgumentException ignored) {
      return false;
    }
    for (int i = 0; i < decoded.length; i++) {
      if (decoded[i] == ':') {
        return expected.matches(
            Arrays.copyOfRange(decoded, 0, i), Arrays.copyOfRange(decoded, i + 1, decoded.length));
      }
    }
    return false;
  }
}
