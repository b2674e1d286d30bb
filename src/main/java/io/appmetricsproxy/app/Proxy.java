package io.appmetricsproxy.app;

import io.appmetricsproxy.config.Config;
import io.appmetricsproxy.discover.DockerEngine;
import io.appmetricsproxy.discover.TargetSource;
import io.appmetricsproxy.scrape.Scraper;
import io.appmetricsproxy.serve.ProxyState;
import io.appmetricsproxy.serve.SelfMetrics;
import io.appmetricsproxy.store.Store;
import java.time.Clock;
import java.util.Optional;

/** The stages of one proxy wired together, and closed together. */
public final class Proxy implements AutoCloseable {
  private final Config config;
  private final TargetSource source;
  private final Scraper scraper;
  private final ProxyState state;
  private final SelfMetrics metrics;
  private final Cycle cycle;
  private final Optional<DockerEngine> engine;

  Proxy(Config config, TargetSource source) {
    this(config, source, Optional.empty());
  }

  private Proxy(Config config, TargetSource source, Optional<DockerEngine> engine) {
    this.config = config;
    this.engine = engine;
    this.source = source;
    Store store = new Store(config.storeDir());
    store.open();
    this.scraper = new Scraper(config);
    this.metrics = new SelfMetrics();
    this.state = new ProxyState(store.snapshot(Clock.systemUTC().instant(), config.maxAge()));
    this.cycle =
        new Cycle(source, scraper, store, state, metrics, config.maxAge(), Clock.systemUTC());
  }

  /** A proxy for the Docker engine that {@code config} names. */
  public static Proxy create(Config config) {
    DockerEngine engine = DockerEngine.create(config);
    try {
      return new Proxy(config, engine.targetSource(), Optional.of(engine));
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
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

  @Override
  public void close() {
    scraper.close();
    source.close();
    engine.ifPresent(DockerEngine::close);
  }
}
