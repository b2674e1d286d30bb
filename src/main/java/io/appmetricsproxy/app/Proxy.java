package io.appmetricsproxy.app;

import io.appmetricsproxy.config.Config;
import io.appmetricsproxy.config.ReplicationSettings;
import io.appmetricsproxy.discover.DockerEngine;
import io.appmetricsproxy.discover.EventWatcher;
import io.appmetricsproxy.discover.Peer;
import io.appmetricsproxy.discover.PeerSource;
import io.appmetricsproxy.discover.Peers;
import io.appmetricsproxy.discover.Role;
import io.appmetricsproxy.discover.TargetSource;
import io.appmetricsproxy.replicate.ReplicationException;
import io.appmetricsproxy.replicate.Replicator;
import io.appmetricsproxy.replicate.SshTransport;
import io.appmetricsproxy.scrape.Scraper;
import io.appmetricsproxy.status.ProxyState;
import io.appmetricsproxy.status.SelfMetrics;
import io.appmetricsproxy.status.Snapshots;
import io.appmetricsproxy.store.Store;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** The stages of one proxy wired together, and closed together. */
public final class Proxy implements AutoCloseable {
  private final Config config;
  private final TargetSource source;
  private final Scraper scraper;
  private final ProxyState state;
  private final SelfMetrics metrics;
  private final Cycle cycle;
  private final Replicator replicator;
  private final Replication replication;
  private final Store store;
  private final Optional<DockerEngine> engine;

  /** Serves what peers copy here file by file, once for all that arrives together. */
  private final Republish arrivals;

  private Optional<SshTransport> ssh = Optional.empty();
  private Optional<Freshness> freshness = Optional.empty();
  private Optional<EventWatcher> watcher = Optional.empty();

  /** A proxy on {@code source} whose peers are only those of REPLICATION_PEERS. */
  Proxy(Config config, TargetSource source) {
    this(config, source, configuredOnly(configured(config.replication())), Optional.empty());
  }

  private Proxy(
      Config config, TargetSource source, PeerSource peers, Optional<DockerEngine> engine) {
    this.config = config;
    this.engine = engine;
    this.source = source;
    Clock clock = Clock.systemUTC();
    Store store = new Store(config.storeDir());
    store.open();
    this.store = store;
    this.scraper = new Scraper(config.scrape());
    this.metrics = new SelfMetrics();
    Snapshots snapshots = new Snapshots(store, config.maxAge(), clock);
    this.state = new ProxyState(snapshots);
    this.cycle =
        new Cycle(
            source,
            scraper,
            store,
            snapshots,
            state,
            metrics.cycle(),
            config.maxAge(),
            config.scrape().interval(),
            clock);
    Runnable changed = snapshots::ask; // served by the next read
    this.arrivals = new Republish(changed, snapshots::made, config.scrape().interval());
    ReplicationSettings r = config.replication();
    Optional<String> problem = Optional.empty();
    Optional<Replicator.Transport> transport = Optional.empty();
    if (r.credentials().isPresent()) {
      try {
        this.ssh =
            Optional.of(
                SshTransport.start(
                    r, store, new SshTransport.Serving(changed, changed, arrivals::later)));
        transport = Optional.of(ssh.get().transport());
      } catch (ReplicationException e) {
        problem = Optional.of(e.getMessage());
      }
    }
    this.replicator =
        new Replicator(
            peers,
            transport,
            problem,
            store,
            config.scrape().maxBodyBytes() + 4096,
            r.interval(),
            r.concurrency(),
            changed,
            clock);
    this.replication = new Replication(replicator, state, metrics.replication());
  }

  /**
   * What sets this proxy apart from the others of its cluster: its container's id, or outside a
   * container the process id.
   */
  public String identity() {
    return engine.flatMap(DockerEngine::selfId).orElse("pid " + ProcessHandle.current().pid());
  }

  /** A proxy for the Docker engine that {@code config} names. */
  public static Proxy create(Config config) {
    DockerEngine engine = DockerEngine.create(config.docker(), config.scrape().interval());
    try {
      ReplicationSettings r = config.replication();
      return new Proxy(
          config,
          engine.targetSource(),
          engine.peerSource(r.port(), configured(r)),
          Optional.of(engine));
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  static List<Peer> configured(ReplicationSettings r) {
    return r.peers().stream()
        .map(a -> new Peer(a.toString(), a.toString(), a.host(), a.port(), Role.CONFIGURED))
        .toList();
  }

  private static PeerSource configuredOnly(List<Peer> peers) {
    return () -> new Peers(Role.STANDALONE, Optional.empty(), peers, !peers.isEmpty(), List.of());
  }

  public Config config() {
    return config;
  }

  public ProxyState state() {
    return state;
  }

  public SelfMetrics metrics() {
    return metrics;
  }

  public Cycle cycle() {
    return cycle;
  }

  /** This node's store, for benches that put it into a state directly (app package only). */
  Store store() {
    return store;
  }

  public Replication replication() {
    return replication;
  }

  /**
   * Follows the engine's container events, so that a started container is served and a removed one
   * dropped without waiting for the next cycle; a proxy without an engine has none to follow.
   */
  public synchronized void watchEvents() {
    if (engine.isPresent() && watcher.isEmpty()) {
      Freshness f = new Freshness(cycle);
      freshness = Optional.of(f);
      watcher = Optional.of(engine.get().watch(f));
    }
  }

  @Override
  public void close() {
    watcher.ifPresent(EventWatcher::close);
    freshness.ifPresent(Freshness::close);
    replicator.close();
    ssh.ifPresent(SshTransport::close);
    arrivals.close();
    scraper.close();
    source.close();
    engine.ifPresent(DockerEngine::close);
    metrics.close();
  }
}
