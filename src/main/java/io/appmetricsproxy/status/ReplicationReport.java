package io.appmetricsproxy.status;

import io.appmetricsproxy.discover.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where replication stands on this node after its last round: its role, whether it drives the
 * exchanges, what stops it, and each peer's last exchange.
 *
 * @param drives whether this node opens the exchanges (Swarm managers, configured peers)
 * @param problem what keeps replication from running as it should, e.g. SSHPASS unset
 * @param hostKey this node's SSH host key fingerprint, when its SFTP server runs
 * @param port the replication port, when its SFTP server runs
 */
public record ReplicationReport(
    Instant at,
    Role role,
    boolean drives,
    Optional<String> problem,
    Optional<String> hostKey,
    Optional<Integer> port,
    List<PeerReport> peers) {

  public ReplicationReport {
    Objects.requireNonNull(at);
    Objects.requireNonNull(role);
    Objects.requireNonNull(problem);
    Objects.requireNonNull(hostKey);
    Objects.requireNonNull(port);
    peers = List.copyOf(peers);
  }

  /**
   * One peer's last exchange.
   *
   * @param lastSuccess when an exchange with it last completed
   * @param error why the last exchange failed, or the files it refused
   * @param bytesSent bytes on the wire to the peer in the last exchange (SSH included)
   * @param bytesReceived bytes on the wire from the peer in the last exchange
   * @param entriesSent entry files written to the peer in the last exchange
   * @param entriesReceived entry files taken from the peer in the last exchange
   * @param deleted entry files removed on either side in the last exchange
   */
  public record PeerReport(
      String name,
      String address,
      Role role,
      Instant lastAttempt,
      Optional<Instant> lastSuccess,
      Optional<String> error,
      Duration duration,
      long bytesSent,
      long bytesReceived,
      int entriesSent,
      int entriesReceived,
      int deleted) {

    public PeerReport {
      Objects.requireNonNull(name);
      Objects.requireNonNull(address);
      Objects.requireNonNull(role);
      Objects.requireNonNull(lastAttempt);
      Objects.requireNonNull(lastSuccess);
      Objects.requireNonNull(error);
      Objects.requireNonNull(duration);
    }

    public boolean up() {
      return error.isEmpty();
    }
  }
}
