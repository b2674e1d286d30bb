package io.appmetricsproxy.replicate;

import static io.appmetricsproxy.status.StoreSnapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.config.ReplicationSettings;
import io.appmetricsproxy.discover.Peer;
import io.appmetricsproxy.discover.Peers;
import io.appmetricsproxy.discover.Role;
import io.appmetricsproxy.status.ReplicationReport;
import io.appmetricsproxy.status.ReplicationReport.PeerReport;
import io.appmetricsproxy.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rounds over peers whose folders are real stores; the SSH transport is tested on its own. */
class ReplicatorTest {
  private static final Instant NOW = Instant.now();
  private static final Duration MAX_AGE = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final Map<String, Store> stores = new HashMap<>();
  private final AtomicInteger changes = new AtomicInteger();
  private Replicator replicator;

  @AfterEach
  void close() {
    if (replicator != null) {
      replicator.close();
    }
  }

  private Store node(String name, String... entryIds) {
    Store s = TestStores.afterCycle(dir.resolve(name), name, NOW, MAX_AGE, entryIds);
    stores.put(name, s);
    return s;
  }

  private static Peer peer(String name) {
    return new Peer(name + "-id", name, "10.0.0." + name.length(), 2138, Role.WORKER);
  }

  private Replicator replicator(
      Store self, Peers peers, Function<Peer, RemoteStore> connector, Duration deadline) {
    replicator =
        new Replicator(
            () -> peers,
            Optional.ofNullable(connector)
                .map(c -> new Replicator.Transport(c, "SHA256:test", 2138)),
            Optional.empty(),
            self,
            1 << 20,
            deadline,
            ReplicationSettings.DEFAULT_CONCURRENCY,
            changes::incrementAndGet,
            Clock.systemUTC());
    return replicator;
  }

  private Function<Peer, RemoteStore> toStores() {
    return p -> new LocalStore(stores.get(p.name()));
  }

  private static Peers manager(Peer... peers) {
    return new Peers(Role.MANAGER, Optional.of("m-id"), List.of(peers), true, List.of());
  }

  @Test
  void aManagerExchangesWithEveryPeerAndServesWhatArrived() throws Exception {
    Store m = node("m", "m1");
    node("w1", "a1");
    node("w2", "b1", "b2");

    ReplicationReport report =
        replicator(m, manager(peer("w1"), peer("w2")), toStores(), Duration.ofSeconds(5)).round();

    assertThat(report.role()).isEqualTo(Role.MANAGER);
    assertThat(report.problem()).isEmpty();
    assertThat(report.hostKey()).contains("SHA256:test");
    assertThat(report.peers()).extracting(PeerReport::name).containsExactly("w1", "w2");
    assertThat(report.peers()).allSatisfy(p -> assertThat(p.up()).isTrue());
    assertThat(report.peers().get(1).entriesReceived()).isEqualTo(2);
    assertThat(changes.get()).isPositive();
    assertThat(snapshot(m, NOW, MAX_AGE).get("app").get().entries()).hasSize(4);
    // the second pass takes each worker's entries to the other within the same round
    assertThat(snapshot(stores.get("w1"), NOW, MAX_AGE).get("app").get().entries()).hasSize(4);
    assertThat(snapshot(stores.get("w2"), NOW, MAX_AGE).get("app").get().entries()).hasSize(4);
  }

  @Test
  void aDeadPeerAndAHangingPeerHoldUpNoOther() throws Exception {
    Store m = node("m", "m1");
    node("w1", "a1");
    Function<Peer, RemoteStore> connector =
        p -> {
          switch (p.name()) {
            case "dead" ->
                throw new ReplicationException("peer dead (10.0.0.4:2138): Connection refused");
            case "hang" -> {
              try {
                Thread.sleep(60_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              throw new ReplicationException("interrupted");
            }
            default -> {
              return new LocalStore(stores.get(p.name()));
            }
          }
        };
    long start = System.nanoTime();

    ReplicationReport report =
        replicator(
                m,
                manager(peer("dead"), peer("hang"), peer("w1")),
                connector,
                Duration.ofSeconds(2))
            .round();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    // the hanging one is reported as running for as long as it ran: the 2 s deadline (a reading
    // of the clock a little after the round's own start), or more where a loaded machine woke the
    // round late
    Duration hung = report.peers().get(1).duration();
    assertThat(hung).isBetween(Duration.ofMillis(1_500), Duration.ofSeconds(10));
    assertThat(report.peers())
        .extracting(p -> p.error().orElse("up"))
        .containsExactly(
            "peer dead (10.0.0.4:2138): Connection refused",
            "exchange still running after " + Math.round(hung.toMillis() / 1000.0) + " s",
            "up");
    assertThat(snapshot(m, NOW, MAX_AGE).get("app").get().entries()).hasSize(2);
  }

  @Test
  void withoutSshpassAManagerSaysSoAndExchangesNothing() throws Exception {
    Store m = node("m", "m1");
    node("w1", "a1");
    ReplicationReport report =
        replicator(m, manager(peer("w1")), null, Duration.ofSeconds(2)).round();
    assertThat(report.problem())
        .contains(
            "SSHPASS is not set: replication is off on this manager node"
                + " (local scraping and serving go on)");
    assertThat(report.peers()).isEmpty();
    assertThat(report.hostKey()).isEmpty();
    assertThat(snapshot(m, NOW, MAX_AGE).get("app").get().entries()).hasSize(1);
  }

  @Test
  void aStandaloneNodeWithoutPeersNeedsNoSshpass() throws Exception {
    Store s = node("s", "s1");
    Peers standalone = new Peers(Role.STANDALONE, Optional.empty(), List.of(), false, List.of());
    assertThat(replicator(s, standalone, null, Duration.ofSeconds(2)).round().problem()).isEmpty();
  }

  @Test
  void aWorkerWaitsForTheManagers() throws Exception {
    Store w = node("w", "w1");
    node("w2", "b1");
    Peers worker = new Peers(Role.WORKER, Optional.of("w-id"), List.of(), false, List.of());
    ReplicationReport report = replicator(w, worker, toStores(), Duration.ofSeconds(2)).round();
    assertThat(report.drives()).isFalse();
    assertThat(report.peers()).isEmpty();
    assertThat(report.problem()).isEmpty();
  }

  @Test
  void aConnectionIsKeptBetweenRoundsAndOpenedAgainWhenThePeerClosedIt() throws Exception {
    Store m = node("m", "m1");
    node("w1", "a1");
    AtomicInteger opened = new AtomicInteger();
    List<Closable> remotes = new java.util.ArrayList<>();
    Function<Peer, RemoteStore> connector =
        p -> {
          opened.incrementAndGet();
          Closable c = new Closable(new LocalStore(stores.get(p.name())));
          remotes.add(c);
          return c;
        };
    Replicator r = replicator(m, manager(peer("w1")), connector, Duration.ofSeconds(5));

    r.round();
    r.round();
    assertThat(opened).hasValue(1);

    // the peer closed the kept connection (restarted, idle timeout): found at the next use
    remotes.get(0).closedByPeer = true;
    ReplicationReport report = r.round();

    assertThat(opened).hasValue(2);
    assertThat(report.peers()).allSatisfy(p -> assertThat(p.up()).isTrue());
    assertThat(remotes.get(0).closed).isTrue();
    r.close();
    assertThat(remotes.get(1).closed).isTrue();
  }

  @Test
  void aSecondPassSkipsAPeerThatLacksNothingAndStillServesOneThatDoes() throws Exception {
    Store m = node("m", "m1");
    node("w1", "a1");
    node("w2", "b1");
    Map<String, RecordingStore> seen = new java.util.concurrent.ConcurrentHashMap<>();
    Function<Peer, RemoteStore> connector =
        p ->
            seen.computeIfAbsent(
                p.name(), n -> new RecordingStore(new LocalStore(stores.get(n)), true));

    replicator(m, manager(peer("w1"), peer("w2")), connector, Duration.ofSeconds(5)).round();

    // the news of the first pass (each worker's folder) reaches the other worker in the same round
    assertThat(snapshot(stores.get("w1"), NOW, MAX_AGE).get("app").get().entries()).hasSize(3);
    assertThat(snapshot(stores.get("w2"), NOW, MAX_AGE).get("app").get().entries()).hasSize(3);
    // each worker: one read of its manifest (first pass) and one upload (second), news or not
    assertThat(seen.values())
        .allSatisfy(
            r -> {
              assertThat(r.calls.stream().filter("manifest"::equals)).hasSize(1);
              assertThat(r.calls.stream().filter("writeManifest"::equals)).hasSize(1);
            });

    // alone, a worker's own folder is the only news, which it has: no second exchange
    Store alone = node("m2", "m2");
    Map<String, RecordingStore> once = new java.util.concurrent.ConcurrentHashMap<>();
    replicator.close();
    replicator(
            alone,
            manager(peer("w1")),
            p ->
                once.computeIfAbsent(
                    p.name(), n -> new RecordingStore(new LocalStore(stores.get(n)), true)),
            Duration.ofSeconds(5))
        .round();
    assertThat(once.get("w1").calls.stream().filter("manifest"::equals)).hasSize(1);
    assertThat(snapshot(alone, NOW, MAX_AGE).get("app").get().entries()).hasSize(4);
  }

  /** A connection that the peer may close: its next use fails, and it is no longer open. */
  private static final class Closable implements RemoteStore {
    private final RemoteStore inner;
    volatile boolean closedByPeer;
    volatile boolean closed;

    Closable(RemoteStore inner) {
      this.inner = inner;
    }

    private RemoteStore use() {
      if (closedByPeer) {
        throw new ReplicationException("connection closed by the peer");
      }
      return inner;
    }

    @Override
    public boolean isOpen() {
      return !closed && !closedByPeer;
    }

    @Override
    public long bytesSent() {
      return 1; // a kept connection has sent its handshake
    }

    @Override
    public String node() {
      return use().node();
    }

    @Override
    public List<String> nodes() {
      return use().nodes();
    }

    @Override
    public Map<String, FileStat> list(String node) {
      return use().list(node);
    }

    @Override
    public Optional<FileStat> stat(String node, String file) {
      return use().stat(node, file);
    }

    @Override
    public byte[] read(String node, String file, long maxBytes) {
      return use().read(node, file, maxBytes);
    }

    @Override
    public void write(String node, String file, byte[] bytes, long mtimeSeconds) {
      use().write(node, file, bytes, mtimeSeconds);
    }

    @Override
    public void touch(String node, String file, long mtimeSeconds) {
      use().touch(node, file, mtimeSeconds);
    }

    @Override
    public void delete(String node, String file) {
      use().delete(node, file);
    }

    @Override
    public Optional<io.appmetricsproxy.store.Manifest> manifest() {
      return use().manifest();
    }

    @Override
    public void writeManifest(byte[] bytes) {
      use().writeManifest(bytes);
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
