package io.appmetricsproxy.app;

import io.appmetricsproxy.discover.Role;
import io.appmetricsproxy.replicate.Replicator;
import io.appmetricsproxy.status.ProxyState;
import io.appmetricsproxy.status.ReplicationMetrics;
import io.appmetricsproxy.status.ReplicationReport;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/** One replication round, published to the index and the metrics; a problem is logged once. */
public final class Replication {
  private static final Logger logger = Logger.getLogger(Replication.class.getName());

  private final Replicator replicator;
  private final ProxyState state;
  private final ReplicationMetrics metrics;
  private Optional<String> problem = Optional.empty();
  private Role role;

  Replication(Replicator replicator, ProxyState state, ReplicationMetrics metrics) {
    this.replicator = replicator;
    this.state = state;
    this.metrics = metrics;
  }

  public ReplicationReport run() throws InterruptedException {
    ReplicationReport report = replicator.round();
    state.publish(report);
    metrics.record(report);
    if (report.role() != role) {
      logger.log(
          Level.INFO,
          "Replication: this node is {0}{1}",
          new Object[] {
            report.role(),
            report.drives() ? ", it exchanges with its peers" : ", it waits for peers"
          });
      role = report.role();
    }
    if (!report.problem().equals(problem)) {
      report
          .problem()
          .ifPresentOrElse(
              p -> logger.log(Level.SEVERE, "Replication: {0}", p),
              () -> logger.info("Replication: problem solved"));
      problem = report.problem();
    }
    return report;
  }
}
