package io.appmetricsproxy.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How this proxy exchanges store entries with its peers over SSH.
 *
 * @param port where the embedded SFTP server listens (REPLICATION_PORT)
 * @param credentials REPLICATION_USER and SSHPASS; empty when SSHPASS is unset, which is an error
 *     only where replication runs
 * @param peers REPLICATION_PEERS, exchanged with besides the Swarm tasks found
 * @param interval how often a driving node exchanges (REPLICATION_INTERVAL)
 * @param timeout connect and read timeout of one peer (REPLICATION_TIMEOUT)
 * @param concurrency exchanges of a round at the same time (REPLICATION_CONCURRENCY)
 * @param sshDir the node's own host key and the pinned keys of its peers (SSH_DIR)
 */
public record ReplicationSettings(
    int port,
    Optional<Credentials> credentials,
    List<PeerAddress> peers,
    Duration interval,
    Duration timeout,
    int concurrency,
    Path sshDir) {

  public static final int DEFAULT_PORT = 2138;
  public static final String DEFAULT_USER = "app-metrics-proxy";

  /** Exchanges wait on the network far more than they compute: many run at once. */
  public static final int DEFAULT_CONCURRENCY = 32;

  /** One REPLICATION_PEERS item. */
  public record PeerAddress(String host, int port) {
    public PeerAddress {
      Objects.requireNonNull(host);
    }

    @Override
    public String toString() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  public ReplicationSettings {
    Objects.requireNonNull(credentials);
    peers = List.copyOf(peers);
    Objects.requireNonNull(interval);
    Objects.requireNonNull(timeout);
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be >= 1: " + concurrency);
    }
    Objects.requireNonNull(sshDir);
  }
}
