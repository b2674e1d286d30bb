package io.appmetricsproxy.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.discover.Role;
import io.appmetricsproxy.status.ProxyState;
import io.appmetricsproxy.status.ReplicationReport;
import io.appmetricsproxy.status.Snapshot;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PeersViewTest {
  @Test
  void withoutReplicationTheNodeIsStandalone() {
    ProxyState.View view =
        new ProxyState.View(
            Snapshot.empty(),
            Optional.of(TargetsViewTest.cycle(Optional.of("n1"), Optional.empty(), List.of())));
    assertThat(PeersView.peers(view))
        .isEqualTo(
            new ApiModel.Peers("n1", "standalone", false, null, null, null, null, List.of()));
  }

  @Test
  void aPeerNeverReachedHasNoLastSuccess() {
    ReplicationReport report =
        new ReplicationReport(
            TargetsViewTest.T,
            Role.WORKER,
            false,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            List.of(
                new ReplicationReport.PeerReport(
                    "m1",
                    "10.0.1.1",
                    Role.MANAGER,
                    TargetsViewTest.T,
                    Optional.empty(),
                    Optional.of("refused"),
                    Duration.ofMillis(1500),
                    0,
                    0,
                    0,
                    0,
                    0)));
    ApiModel.Peers peers =
        PeersView.peers(
            new ProxyState.View(Snapshot.empty(), Optional.empty(), Optional.of(report)));
    assertThat(peers.node()).isNull();
    assertThat(peers.role()).isEqualTo("worker");
    assertThat(peers.lastRound()).isEqualTo("2026-11-25T12:00:00Z");
    assertThat(peers.peers())
        .containsExactly(
            new ApiModel.Peer(
                "m1",
                "10.0.1.1",
                "manager",
                false,
                "2026-11-25T12:00:00Z",
                null,
                1.5,
                0,
                0,
                0,
                0,
                0,
                "refused"));
  }
}
