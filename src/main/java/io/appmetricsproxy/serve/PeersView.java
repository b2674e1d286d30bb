package io.appmetricsproxy.serve;

import io.appmetricsproxy.discover.Role;
import io.appmetricsproxy.status.CycleReport;
import io.appmetricsproxy.status.ProxyState;
import io.appmetricsproxy.status.ReplicationReport;
import java.time.Instant;
import java.util.List;

/** Builds {@code /api/peers}, and the index's peers section, from the last replication round. */
final class PeersView {
  private PeersView() {}

  static ApiModel.Peers peers(ProxyState.View view) {
    String node = view.lastCycle().flatMap(CycleReport::node).orElse(null);
    if (view.replication().isEmpty()) {
      return new ApiModel.Peers(
          node, Role.STANDALONE.label(), false, null, null, null, null, List.of());
    }
    ReplicationReport r = view.replication().get();
    return new ApiModel.Peers(
        node,
        r.role().label(),
        r.drives(),
        r.problem().orElse(null),
        r.hostKey().orElse(null),
        r.port().orElse(null),
        r.at().toString(),
        r.peers().stream().map(PeersView::peer).toList());
  }

  private static ApiModel.Peer peer(ReplicationReport.PeerReport p) {
    return new ApiModel.Peer(
        p.name(),
        p.address(),
        p.role().label(),
        p.up(),
        p.lastAttempt().toString(),
        p.lastSuccess().map(Instant::toString).orElse(null),
        p.duration().toNanos() / 1e9,
        p.bytesSent(),
        p.bytesReceived(),
        p.entriesSent(),
        p.entriesReceived(),
        p.deleted(),
        p.error().orElse(null));
  }
}
