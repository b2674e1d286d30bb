package io.appmetricsproxy.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may use port 2137.
 *
 * @param credentials AUTH_USERNAME and AUTH_PASSWORD; empty: no Basic authentication
 * @param allowCidrs ALLOW_CIDRS; empty: any address
 */
public record AccessSettings(Optional<Credentials> credentials, List<Cidr> allowCidrs) {

  public AccessSettings {
    Objects.requireNonNull(credentials);
    allowCidrs = List.copyOf(allowCidrs);
  }

  /** Whether port 2137 checks the client's address or credentials (both off by default). */
  public boolean accessControlled() {
    return credentials.isPresent() || !allowCidrs.isEmpty();
  }
}
