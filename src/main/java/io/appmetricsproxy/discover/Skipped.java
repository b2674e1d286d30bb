package io.appmetricsproxy.discover;

import java.util.Objects;

/** A running container that is deliberately not scraped, with the reason shown to operators. */
public record Skipped(String containerId, String containerName, String reason) {
  public Skipped {
    Objects.requireNonNull(containerId);
    Objects.requireNonNull(containerName);
    Objects.requireNonNull(reason);
  }
}
