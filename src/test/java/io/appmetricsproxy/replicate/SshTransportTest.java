package io.appmetricsproxy.replicate;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.config.ReplicationSettings;
import io.appmetricsproxy.discover.Peer;
import io.appmetricsproxy.discover.Peers;
import io.appmetricsproxy.discover.Role;
import io.appmetricsproxy.status.ReplicationReport;
import io.appmetricsproxy.store.Layout;
import io.appmetricsproxy.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a node's SFTP server asks to be served when a peer ends its part of an exchange. */
class SshTransportTest {
  private static final Duration MAX_AGE = Duration.ofSeconds(60);

  @TempDir Path dir;

  /**
   * Folders in the upload are served before the exchange ends (at once, on the request's thread);
   * an upload of confirmations alone is left to the next snapshot the node makes anyway.
   */
  @Test
  void foldersInTheUploadAreServedAtOnceConfirmationsAloneLater() throws Exception {
    Instant t0 = Instant.now().minusSeconds(20);
    Store m = TestStores.afterCycle(dir.resolve("m"), "m", t0, MAX_AGE, "m1");
    Store w = TestStores.afterCycle(dir.resolve("w"), "w", t0, MAX_AGE, "w1");
    AtomicInteger atOnce = new AtomicInteger();
    AtomicInteger soon = new AtomicInteger();
    AtomicInteger later = new AtomicInteger();
    String password = "Serve-what-came-7d1e";
    Duration timeout = Duration.ofSeconds(2);
    try (SshTransport worker =
            TestTransports.start(
                dir.resolve("ssh-w"),
                w,
                password,
                timeout,
                new SshTransport.Serving(
                    atOnce::incrementAndGet, soon::incrementAndGet, later::incrementAndGet));
        SshTransport manager =
            TestTransports.start(
                dir.resolve("ssh-m"), m, password, timeout, TestTransports.NOT_SERVED);
        Replicator replicator =
            new Replicator(
                () ->
                    new Peers(
                        Role.MANAGER,
                        Optional.of("m-id"),
                        List.of(
                            new Peer(
                                "w-id", "w", "127.0.0.1", worker.transport().port(), Role.WORKER)),
                        true,
                        List.of()),
                Optional.of(manager.transport()),
                Optional.empty(),
                m,
                1 << 20,
                Duration.ofSeconds(5),
                ReplicationSettings.DEFAULT_CONCURRENCY,
                () -> {},
                Clock.systemUTC())) {
      // the first round gives the worker m's folder
      ReplicationReport first = replicator.round();
      assertThat(first.peers().get(0).error()).isEmpty();
      assertThat(w.confirmation("m")).isEqualTo(m.confirmation("m"));

      // m's folder changes: it travels in the upload of the manifest, served when the round ends
      m.put(TestStores.entry("m", "m2", t0.plusSeconds(5)));
      new Confirmation(m).confirm("m", t0.plusSeconds(5), MAX_AGE);
      int before = atOnce.get();
      int laterBefore = later.get();
      ReplicationReport changed = replicator.round();
      assertThat(changed.peers().get(0).entriesSent()).isEqualTo(1);
      assertThat(atOnce.get()).isGreaterThan(before);
      assertThat(later.get()).isEqualTo(laterBefore);

      // only confirmed later: no folder in the upload, nothing to serve at once
      new Confirmation(m).confirm("m", t0.plusSeconds(10), MAX_AGE);
      int atOnceBefore = atOnce.get();
      int soonBefore = soon.get();
      int laterAgain = later.get();
      ReplicationReport confirmed = replicator.round();
      assertThat(confirmed.peers().get(0).error()).isEmpty();
      assertThat(confirmed.peers().get(0).entriesSent()).isZero();
      assertThat(w.confirmation("m").orElseThrow().confirmed())
          .isEqualTo(t0.plusSeconds(10).getEpochSecond());
      assertThat(atOnce.get()).isEqualTo(atOnceBefore);
      assertThat(soon.get()).isEqualTo(soonBefore);
      assertThat(later.get()).isGreaterThan(laterAgain);

      // the worker's .alive of m is touched once it lags by Store.ALIVE_LAG; a client's stat of it
      // (an exchange by .alive) shows the confirmation meanwhile
      Path alive = w.sharedRoot().resolve("m").resolve(Layout.ALIVE);
      assertThat(Files.getLastModifiedTime(alive).toInstant().getEpochSecond())
          .isLessThan(t0.plusSeconds(10).getEpochSecond());
      Peer peer = new Peer("w-id", "w", "127.0.0.1", worker.transport().port(), Role.WORKER);
      try (RemoteStore remote = manager.transport().connector().apply(peer)) {
        assertThat(remote.stat("m", Layout.ALIVE).orElseThrow().mtimeSeconds())
            .isEqualTo(t0.plusSeconds(10).getEpochSecond());
      }
    }
  }
}
