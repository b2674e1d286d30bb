package io.appmetricsproxy.replicate;

import io.appmetricsproxy.config.Credentials;
import io.appmetricsproxy.config.ReplicationSettings;
import io.appmetricsproxy.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A node's replication server and client for tests: real SSH on a free loopback port. */
final class TestTransports {
  static final String USER = "app-metrics-proxy";

  /** Serves nothing: for tests that read the store, not what it serves. */
  static final SshTransport.Serving NOT_SERVED =
      new SshTransport.Serving(() -> {}, () -> {}, () -> {});

  private TestTransports() {}

  /**
   * Starts the server of {@code store} with its host key in {@code sshDir}, serving what it took as
   * {@code serving} asks.
   */
  static SshTransport start(
      Path sshDir, Store store, String password, Duration timeout, SshTransport.Serving serving) {
    return SshTransport.start(
        new ReplicationSettings(
            0,
            Optional.of(new Credentials(USER, password)),
            List.of(),
            Duration.ofSeconds(10),
            timeout,
            ReplicationSettings.DEFAULT_CONCURRENCY,
            sshDir),
        store,
        serving);
  }
}
