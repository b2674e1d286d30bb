package io.appmetricsproxy.app;

import io.appmetricsproxy.config.Config;
import io.appmetricsproxy.discover.DockerTargetSource;
import io.appmetricsproxy.discover.TargetSource;
import io.appmetricsproxy.scrape.Scraper;
import io.appmetricsproxy.serve.ProxyState;
import io.appmetricsproxy.serve.SelfMetrics;
import io.appmetricsproxy.store.Store;
import java.time.Clock;

/** The stages of one proxy wired together, and closed together. */
public final class Proxy implements AutoCloseable {
  private final Config config;
  private final TargetSource source;
  private final Scraper scraper;
  private final ProxyState state;
  private final SelfMetrics metrics;
  private final Cycle cycle;

  Proxy(Config config, TargetSource source) {
    this.config = config;
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
    return new Proxy(config, DockerTargetSource.create(config));
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
  }
}
