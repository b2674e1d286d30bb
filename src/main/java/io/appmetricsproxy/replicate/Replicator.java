package io.appmetricsproxy.replicate;

import io.appmetricsproxy.discover.DiscoveryException;
import io.appmetricsproxy.discover.Peer;
import io.appmetricsproxy.discover.PeerSource;
import io.appmetricsproxy.discover.Peers;
import io.appmetricsproxy.discover.Role;
import io.appmetricsproxy.lang.Threads;
import io.appmetricsproxy.status.ReplicationReport;
import io.appmetricsproxy.status.ReplicationReport.PeerReport;
import io.appmetricsproxy.store.Manifest;
import io.appmetricsproxy.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One replication round: asks who the peers are, then exchanges with each of them in parallel, each
 * within the round's deadline, so that a dead or slow peer holds up no other.
 */
public final class Replicator implements AutoCloseable {
  private static final Logger logger = Logger.getLogger(Replicator.class.getName());

  /**
   * How the round reaches peers; empty when SSHPASS is unset.
   *
   * @param connector opens a peer's shared folder over SSH
   * @param hostKey this node's own host key fingerprint, shown to operators
   * @param port this node's replication port
   */
  public record Transport(Function<Peer, RemoteStore> connector, String hostKey, int port) {}

  private final PeerSource source;
  private final Optional<Transport> transport;
  private final Optional<String> setupProblem;
  private final Store store;
  private final LocalStore local;
  private final Exchange exchange;
  private final Duration deadline;
  private final Runnable changed;
  private final Clock clock;
  private final ExecutorService pool;
  private final Map<String, Instant> lastSuccess = new ConcurrentHashMap<>();
  private final Map<String, String> lastError = new ConcurrentHashMap<>();
  private final Map<String, Future<PeerReport>> running = new ConcurrentHashMap<>();
  private final Map<String, Instant> runningSince = new ConcurrentHashMap<>();
  private final Map<String, AliveMemo> memos = new ConcurrentHashMap<>();

  /** One open connection per peer, kept between rounds: no handshake when nothing failed. */
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();

  /** An open connection and the address it was opened to. */
  private record Connection(String address, RemoteStore remote) {}

  /**
   * @param setupProblem why the transport could not be made although SSHPASS is set
   * @param concurrency exchanges at the same time (REPLICATION_CONCURRENCY)
   * @param changed called after an exchange that changed this node's store, to serve the change
   */
  public Replicator(
      PeerSource source,
      Optional<Transport> transport,
      Optional<String> setupProblem,
      Store store,
      long maxFileBytes,
      Duration deadline,
      int concurrency,
      Runnable changed,
      Clock clock) {
    this.source = source;
    this.transport = transport;
    this.setupProblem = setupProblem;
    this.store = store;
    this.local = new LocalStore(store);
    this.exchange = new Exchange(maxFileBytes);
    this.deadline = deadline;
    this.pool = Threads.pool("amp-replicate-", concurrency, Duration.ofSeconds(30));
    this.changed = changed;
    this.clock = clock;
  }

  public ReplicationReport round() throws InterruptedException {
    Instant at = clock.instant();
    Peers peers;
    try {
      peers = source.discover();
    } catch (DiscoveryException e) {
      return report(at, Role.UNKNOWN, false, Optional.of(e.getMessage()), List.of());
    }
    List<String> problems = new ArrayList<>(peers.problems());
    boolean wanted = peers.drives() || peers.role() != Role.STANDALONE;
    if (setupProblem.isPresent()) {
      problems.add(0, setupProblem.get());
    } else if (transport.isEmpty() && wanted) {
      problems.add(
          0,
          "SSHPASS is not set: replication is off on this "
              + peers.role()
              + " node (local scraping and serving go on)");
    }
    List<PeerReport> reports = List.of();
    boolean named = store.ownFolder().isPresent(); // after this node's first cycle
    if (peers.drives() && transport.isPresent() && named && !peers.peers().isEmpty()) {
      reports = exchangeAll(peers.peers(), transport.get());
      local.flush(clock.instant()); // the confirmations taken, once per folder, and the manifest
    }
    closeGone(peers.drives() && transport.isPresent() ? peers.peers() : List.of());
    Optional<String> problem =
        problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    return report(at, peers.role(), peers.drives(), problem, reports);
  }

  private ReplicationReport report(
      Instant at, Role role, boolean drives, Optional<String> problem, List<PeerReport> peers) {
    return new ReplicationReport(
        at,
        role,
        drives,
        problem,
        transport.map(Transport::hostKey),
        transport.map(Transport::port),
        peers);
  }

  /**
   * Two passes over one connection per peer: the first brings every peer's news here, the second,
   * once every first pass is over (or half the round has passed), takes to each peer what it lacks,
   * the others' news included, so a worker's entries reach the other workers within the same round.
   * With a peer that takes folders the first only reads its manifest and takes what it holds later,
   * and the second writes it one upload: one read and one write per peer and round, news or not.
   * With any other (a plain folder, an older version) the first is a whole exchange, and a second
   * follows only where a first pass brought news it lacks. No pass holds a thread while it waits
   * for the others: a second pass is a task of its own, started when both its first pass and the
   * gate are done, so a round works with any number of peers on the pool's few threads. An exchange
   * still running at the end of the round (a first copy of many entries, a slow peer) is not
   * interrupted: it goes on, the round reports it, and no second one is started with that peer
   * until it ends. Dead peers end by their connect and read timeouts.
   */
  private List<PeerReport> exchangeAll(List<Peer> peers, Transport t) throws InterruptedException {
    long until = System.nanoTime() + deadline.toNanos();
    Instant roundStart = clock.instant();
    List<Peer> starting =
        peers.stream()
            .filter(p -> !running.containsKey(p.key()) || running.get(p.key()).isDone())
            .toList();
    AtomicBoolean news = new AtomicBoolean();
    CompletableFuture<Void> gate = new CompletableFuture<>();
    List<CompletableFuture<FirstPass>> firsts = new ArrayList<>();
    try {
      for (Peer peer : starting) {
        CompletableFuture<FirstPass> first =
            CompletableFuture.supplyAsync(() -> firstPass(peer, t, news), pool);
        firsts.add(first);
        running.put(
            peer.key(), first.thenCombineAsync(gate, (f, open) -> secondPass(f, news), pool));
      }
      // A peer that hangs in its first pass delays the others' second pass by half a round at most.
      CompletableFuture.allOf(firsts.toArray(CompletableFuture[]::new))
          .get(
              Math.max(0, until - deadline.toNanos() / 2 - System.nanoTime()),
              TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException ignored) {
      // the slow and the failed ones are reported below, each by its own exchange
    } finally {
      gate.complete(null);
    }
    List<PeerReport> reports = new ArrayList<>();
    for (Peer peer : peers) {
      Future<PeerReport> exchange = running.get(peer.key());
      PeerReport r;
      try {
        r = exchange.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
        running.remove(peer.key(), exchange);
      } catch (TimeoutException e) {
        Instant since = runningSince.getOrDefault(peer.key(), roundStart);
        Duration running = Duration.between(since, clock.instant()); // one reading for both
        r =
            failed(
                peer,
                since,
                running,
                "exchange still running after " + Math.round(running.toMillis() / 1000.0) + " s");
      } catch (ExecutionException e) {
        running.remove(peer.key(), exchange);
        r = failed(peer, clock.instant(), Duration.ZERO, String.valueOf(e.getCause()));
      }
      reports.add(r);
    }
    return reports;
  }

  /**
   * A first pass that ended: the open connection and what it moved, or the failure that ended the
   * exchange (then {@code remote} is closed and {@code failure} is the peer's report).
   */
  private record FirstPass(
      Peer peer,
      Instant started,
      long startNanos,
      RemoteStore remote,
      long sentBefore,
      long receivedBefore,
      Exchange.Pulled pulled,
      PeerReport failure) {}

  private FirstPass firstPass(Peer peer, Transport t, AtomicBoolean news) {
    Instant started = clock.instant();
    runningSince.put(peer.key(), started);
    long start = System.nanoTime();
    RemoteStore remote = null;
    try {
      Connection kept = connections.get(peer.key());
      remote = connection(peer, t);
      boolean reused = kept != null && kept.remote() == remote;
      // a new connection's handshake is part of its first exchange
      long sent = reused ? remote.bytesSent() : 0;
      long received = reused ? remote.bytesReceived() : 0;
      Exchange.Pulled first;
      try {
        first = exchange.pull(local, remote, memo(peer));
      } catch (ReplicationException e) {
        if (!reused || remote.isOpen()) {
          throw e;
        }
        // a kept connection the peer had closed (restarted, idle timeout): once more on a new one
        drop(peer);
        remote = connection(peer, t);
        sent = 0;
        received = 0;
        first = exchange.pull(local, remote, memo(peer));
      }
      if (first.moved().received() > 0 || first.moved().deleted() > 0) {
        news.set(true);
        changed.run(); // serve what arrived now, not after the second pass
      }
      return new FirstPass(peer, started, start, remote, sent, received, first, null);
    } catch (ReplicationException e) {
      drop(peer);
      PeerReport failure =
          failed(peer, started, Duration.ofNanos(System.nanoTime() - start), e.getMessage());
      return new FirstPass(peer, started, start, null, 0, 0, null, failure);
    } catch (RuntimeException e) {
      drop(peer);
      runningSince.remove(peer.key());
      throw e;
    }
  }

  /**
   * The peer's kept connection, or a new one (to its current address), made ready for an exchange
   * ({@link RemoteStore#active}).
   */
  private RemoteStore connection(Peer peer, Transport t) {
    Connection c = connections.get(peer.key());
    RemoteStore remote;
    if (c != null && c.address().equals(peer.address()) && c.remote().isOpen()) {
      remote = c.remote();
    } else {
      drop(peer);
      remote = t.connector().apply(peer);
      connections.put(peer.key(), new Connection(peer.address(), remote));
      memo(peer).acceptManifest(); // a new connection may reach a newer version
    }
    remote.active();
    return remote;
  }

  /** Closes the peer's connection after a failure: the next exchange opens a new one. */
  private void drop(Peer peer) {
    Connection c = connections.remove(peer.key());
    if (c != null) {
      close(c.remote());
    }
  }

  /** Closes the connections of peers no longer found, unless an exchange with one still runs. */
  private void closeGone(List<Peer> peers) {
    java.util.Set<String> keys = new java.util.HashSet<>();
    peers.forEach(p -> keys.add(p.key()));
    for (String key : List.copyOf(connections.keySet())) {
      Future<PeerReport> r = running.get(key);
      if (!keys.contains(key) && (r == null || r.isDone())) {
        Connection c = connections.remove(key);
        if (c != null) {
          close(c.remote());
        }
      }
    }
  }

  /**
   * Whether this node now holds a folder the peer lacks, as its first exchange left it; true where
   * that is not known (an exchange by {@code .alive}, or one with a refusal).
   */
  private boolean hasNews(RemoteStore remote, AliveMemo memo) {
    Optional<Manifest> left = memo.left();
    Optional<Manifest> mine = local.manifest();
    return left.isEmpty()
        || mine.isEmpty()
        || Exchange.newsFor(mine.get(), left.get(), remote.node());
  }

  /**
   * Only news from a first pass (this one's or another's) is worth a second, and only with a peer
   * that lacks some of it.
   */
  private PeerReport secondPass(FirstPass first, AtomicBoolean news) {
    Peer peer = first.peer();
    if (first.failure() != null) {
      runningSince.remove(peer.key());
      return first.failure();
    }
    RemoteStore remote = first.remote();
    try {
      Exchange.Moved second =
          first.pulled().pushDue() || news.get() && hasNews(remote, memo(peer))
              ? exchange.runAgain(local, remote, memo(peer))
              : Exchange.Moved.NONE;
      if (second.received() > 0 || second.deleted() > 0) {
        changed.run(); // serve what arrived now, not at the end of the round
      }
      Exchange.Moved moved = first.pulled().moved().plus(second);
      Duration took = Duration.ofNanos(System.nanoTime() - first.startNanos());
      Optional<String> error =
          moved.errors().isEmpty()
              ? Optional.empty()
              : Optional.of("refused " + String.join("; ", moved.errors()));
      if (error.isEmpty()) {
        lastSuccess.put(peer.key(), first.started());
        recovered(peer);
      } else {
        failing(peer, error.get());
      }
      remote.idle(); // kept for the next round
      return new PeerReport(
          peer.name(),
          peer.address(),
          peer.role(),
          first.started(),
          Optional.ofNullable(lastSuccess.get(peer.key())),
          error,
          took,
          remote.bytesSent() - first.sentBefore(),
          remote.bytesReceived() - first.receivedBefore(),
          moved.sent(),
          moved.received(),
          moved.deleted());
    } catch (ReplicationException e) {
      drop(peer);
      return failed(
          peer,
          first.started(),
          Duration.ofNanos(System.nanoTime() - first.startNanos()),
          e.getMessage());
    } finally {
      runningSince.remove(peer.key());
    }
  }

  private AliveMemo memo(Peer peer) {
    return memos.computeIfAbsent(peer.key(), k -> new AliveMemo());
  }

  private static void close(RemoteStore remote) {
    if (remote != null) {
      remote.close();
    }
  }

  private PeerReport failed(Peer peer, Instant at, Duration took, String error) {
    failing(peer, error);
    return new PeerReport(
        peer.name(),
        peer.address(),
        peer.role(),
        at,
        Optional.ofNullable(lastSuccess.get(peer.key())),
        Optional.of(error),
        took,
        0,
        0,
        0,
        0,
        0);
  }

  /** A peer's failure is logged when it starts or changes, and its recovery once. */
  private void failing(Peer peer, String error) {
    if (!error.equals(lastError.put(peer.key(), error))) {
      logger.log(
          Level.WARNING,
          "Replication with {0} ({1}) failing: {2}",
          new Object[] {peer.name(), peer.address(), error});
    }
  }

  private void recovered(Peer peer) {
    if (lastError.remove(peer.key()) != null) {
      logger.log(
          Level.INFO,
          "Replication with {0} ({1}) works again",
          new Object[] {peer.name(), peer.address()});
    }
  }

  @Override
  public void close() {
    Threads.stop(pool, Duration.ofSeconds(5));
    for (String key : List.copyOf(connections.keySet())) {
      Connection c = connections.remove(key);
      if (c != null) {
        close(c.remote());
      }
    }
  }
}
