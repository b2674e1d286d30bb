package io.appmetricsproxy.serve;

import io.appmetricsproxy.scrape.ScrapeResult;
import io.appmetricsproxy.status.CycleReport;
import io.appmetricsproxy.status.ProxyState;
import io.appmetricsproxy.status.Served;
import io.appmetricsproxy.store.Entry;
import io.appmetricsproxy.store.Layout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one row model of the index and {@code /api/targets}: the last cycle's scrapes, the stored
 * entries it did not see, and the entries replicated from other nodes.
 */
final class TargetsView {
  /** The error reason of a stored container that the last cycle did not see. */
  static final String NOT_SEEN = "not_seen";

  private static final Comparator<ApiModel.Target> ORDER =
      Comparator.comparing(ApiModel.Target::name)
          .thenComparing(ApiModel.Target::container)
          .thenComparing(t -> String.valueOf(t.node()))
          .thenComparing(ApiModel.Target::containerId);

  private TargetsView() {}

  static ApiModel.Targets targets(ProxyState.View view) {
    return targets(view, Optional.empty());
  }

  /** {@code client}: the {@code host[:port]} the request reached, for the sd targets. */
  static ApiModel.Targets targets(ProxyState.View view, Optional<String> client) {
    Optional<CycleReport> cycle = view.lastCycle();
    Optional<String> node = cycle.flatMap(CycleReport::node);
    Map<String, Entry> stored = new LinkedHashMap<>();
    for (Served served : view.snapshot().all()) {
      served.entries().forEach(e -> stored.put(e.key(), e));
    }
    List<ApiModel.Target> targets = new ArrayList<>();
    for (ScrapeResult r : cycle.map(CycleReport::results).orElse(List.of())) {
      Entry e = stored.remove(Layout.key(node.orElse(""), r.target().containerId()));
      String sd = SdTarget.of(cycle.get().address(), true, node.orElse(r.target().host()), client);
      targets.add(
          seen(
              r,
              node.orElse(null),
              e,
              cycle.get().lastDiscoveryAt().map(Instant::toString).orElse(null),
              sd));
    }
    for (Entry e : stored.values()) {
      // Without a node name (engine unreachable) every entry counts as this node's.
      boolean local = node.isEmpty() || node.get().equals(e.node());
      String sd = SdTarget.of(e.address(), local, e.node(), client);
      targets.add(local ? notSeen(e, sd) : replicated(e, sd));
    }
    targets.sort(ORDER);
    return new ApiModel.Targets(
        node.orElse(null),
        cycle.isPresent(),
        new ApiModel.Engine(
            cycle.isPresent() && cycle.get().engineError().isEmpty(),
            cycle.flatMap(CycleReport::engineError).orElse(null)),
        cycle.map(TargetsView::lastCycle).orElse(null),
        view.snapshot().size(),
        targets,
        cycle.map(CycleReport::skipped).orElse(List.of()).stream()
            .map(s -> new ApiModel.Skipped(s.containerName(), s.containerId(), s.reason()))
            .toList());
  }

  private static ApiModel.LastCycle lastCycle(CycleReport c) {
    return new ApiModel.LastCycle(
        c.startedAt().toString(),
        seconds(c.duration()),
        c.results().size(),
        (int) c.up(),
        c.storeErrors());
  }

  private static ApiModel.Target seen(
      ScrapeResult r, String node, Entry e, String fromDiscoveryAt, String sdTarget) {
    var t = r.target();
    return new ApiModel.Target(
        t.name(),
        t.containerName(),
        t.containerId(),
        node,
        ApiModel.LOCAL,
        r instanceof ScrapeResult.Success s ? t.host() + ":" + s.port() : t.host(),
        t.path(),
        r.ok(),
        e != null,
        e == null ? null : e.scrapedAt().toString(),
        seconds(r.duration()),
        e == null ? null : (long) e.payload().size(),
        r instanceof ScrapeResult.Failure f
            ? new ApiModel.Error(f.error().reason().label(), f.error().message())
            : null,
        fromDiscoveryAt,
        SdView.labels(t.labels()),
        sdTarget,
        format(e),
        nativeOnly(e));
  }

  /** Served from a peer's scrape: this node neither scraped it nor knows its failures. */
  private static ApiModel.Target replicated(Entry e, String sdTarget) {
    return new ApiModel.Target(
        e.name(),
        e.containerName(),
        e.containerId(),
        e.node(),
        ApiModel.REPLICATED,
        null,
        null,
        true,
        true,
        e.scrapedAt().toString(),
        null,
        (long) e.payload().size(),
        null,
        null,
        SdView.labels(e.labels()),
        sdTarget,
        format(e),
        nativeOnly(e));
  }

  private static ApiModel.Target notSeen(Entry e, String sdTarget) {
    return new ApiModel.Target(
        e.name(),
        e.containerName(),
        e.containerId(),
        e.node(),
        ApiModel.LOCAL,
        null,
        null,
        false,
        true,
        e.scrapedAt().toString(),
        null,
        (long) e.payload().size(),
        new ApiModel.Error(NOT_SEEN, "not seen in the last cycle; its last good scrape is served"),
        null,
        SdView.labels(e.labels()),
        sdTarget,
        format(e),
        nativeOnly(e));
  }

  /** The format the entry is held in ("text", "openmetrics", "protobuf"), null for none. */
  private static String format(Entry e) {
    return e == null ? null : e.payload().format().name().toLowerCase(Locale.ROOT);
  }

  /**
   * The native-only histograms of the entry, of which a client without protobuf gets the count, sum
   * and +Inf bucket only.
   */
  private static List<String> nativeOnly(Entry e) {
    return e == null ? List.of() : e.payload().nativeOnly();
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
