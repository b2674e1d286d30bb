package io.appmetricsproxy.status;

import static io.appmetricsproxy.store.StoreTest.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cycle, an exchange and an upload each make a snapshot and publish it, on threads of their own:
 * whatever order they publish in, what is served is the newest made.
 */
class ProxyStateTest {
  /** Now: what is served is read at the real time, and must be within MAX_AGE then. */
  private static final Instant T = Instant.now();

  @TempDir Path dir;

  private Snapshots snapshots(Store store) {
    return new Snapshots(store, Duration.ofSeconds(120), Clock.fixed(T, ZoneOffset.UTC));
  }

  private static String served(ProxyState state, String name) {
    return state
        .view()
        .snapshot()
        .get(name)
        .map(s -> new String(s.payload().toByteArray(), StandardCharsets.UTF_8))
        .orElse("");
  }

  @Test
  void aSnapshotPublishedAfterANewerOneDoesNotReplaceIt() {
    Store store = new Store(dir);
    store.open();
    Snapshots snapshots = snapshots(store);
    ProxyState state = new ProxyState(snapshots.next());
    store.put(entry("n1", "a", "web-1", "web", "hits_total 1\n", T));
    Snapshot older = snapshots.next();
    store.put(entry("n1", "a", "web-1", "web", "hits_total 2\n", T));
    Snapshot newer = snapshots.next();

    state.publish(newer);
    state.publish(older);
    assertThat(served(state, "web")).isEqualTo("hits_total 2\n");

    CycleReport report =
        new CycleReport(
            T,
            Duration.ofMillis(12),
            Optional.of("n1"),
            Optional.empty(),
            List.of(),
            List.of(),
            List.of());
    state.publish(older, report);
    assertThat(served(state, "web")).isEqualTo("hits_total 2\n");
    assertThat(state.view().lastCycle()).contains(report); // the report is the cycle's all the same

    store.put(entry("n1", "a", "web-1", "web", "hits_total 3\n", T));
    state.publish(snapshots.next());
    assertThat(served(state, "web")).isEqualTo("hits_total 3\n");
  }

  @Test
  void anAgedSnapshotIsStillTheOneItWasMadeAs() {
    Store store = new Store(dir);
    store.open();
    Snapshots snapshots = snapshots(store);
    store.put(entry("n1", "a", "web-1", "web", "hits_total 1\n", T));
    Snapshot made = snapshots.next();
    Snapshot aged = made.at(T.plusSeconds(121));
    assertThat(aged).isNotSameAs(made);
    assertThat(aged.madeBefore(made)).isFalse();
    assertThat(made.madeBefore(aged)).isFalse();
    assertThat(made.madeBefore(snapshots.next())).isTrue();
  }

  /**
   * Each thread stores an entry of its own, then makes and publishes a snapshot: the last one made
   * holds every thread's entry, and it is the one served however the threads interleave.
   */
  @Test
  void threadsPublishingAtOnceLeaveTheLastSnapshotMadeServed() throws Exception {
    Store store = new Store(dir);
    store.open();
    Snapshots snapshots = snapshots(store);
    ProxyState state = new ProxyState(snapshots.next());
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 300; round++) {
        String name = "web" + round;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> publishers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          String container = name + "-" + t;
          publishers.add(
              pool.submit(
                  () -> {
                    start.await();
                    store.put(entry("n1", container, container, name, "hits_total 1\n", T));
                    state.publish(snapshots.next());
                    return null;
                  }));
        }
        start.countDown();
        for (Future<?> f : publishers) {
          f.get();
        }
        assertThat(state.view().snapshot().get(name).orElseThrow().entries())
            .as("round %d", round)
            .hasSize(threads);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * What peers copy in is asked for, not made: the snapshot is made by the first read after, once
   * however many asks came before it, and none while nothing was asked.
   */
  @Test
  void aSnapshotAskedForIsMadeByTheNextReadOnce() {
    Store store = new Store(dir);
    store.open();
    Snapshots snapshots = snapshots(store);
    ProxyState state = new ProxyState(snapshots);
    long made = snapshots.made();
    state.view();
    assertThat(snapshots.made()).as("nothing asked").isEqualTo(made);

    store.put(entry("n2", "a", "web-1", "web", "hits_total 1\n", T));
    snapshots.ask();
    store.put(entry("n2", "b", "web-2", "web", "hits_total 2\n", T));
    snapshots.ask();
    assertThat(snapshots.made()).as("asked, not read yet").isEqualTo(made);
    assertThat(state.view().snapshot().get("web").orElseThrow().entries()).hasSize(2);
    assertThat(snapshots.made()).isEqualTo(made + 1);
    state.view();
    state.view();
    assertThat(snapshots.made()).as("read again, nothing asked since").isEqualTo(made + 1);
  }

  /**
   * Readers at once after an ask: each of them gets what was asked for, whichever made it, and the
   * snapshot is made once.
   */
  @Test
  void readersAtOnceAfterAnAskAllGetWhatWasAskedFor() throws Exception {
    Store store = new Store(dir);
    store.open();
    Snapshots snapshots = snapshots(store);
    ProxyState state = new ProxyState(snapshots);
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 300; round++) {
        String name = "web" + round;
        store.put(entry("n2", name, name + "-1", name, "hits_total 1\n", T));
        snapshots.ask();
        long made = snapshots.made();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> readers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          readers.add(
              pool.submit(
                  () -> {
                    start.await();
                    return state.view().snapshot().get(name).isPresent();
                  }));
        }
        start.countDown();
        for (Future<Boolean> f : readers) {
          assertThat(f.get()).as("round %d", round).isTrue();
        }
        assertThat(snapshots.made()).as("round %d", round).isEqualTo(made + 1);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
