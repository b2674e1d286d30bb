package io.appmetricsproxy.serve;

import io.appmetricsproxy.status.CycleReport;
import io.appmetricsproxy.status.ProxyState;
import io.appmetricsproxy.status.Served;
import io.appmetricsproxy.store.Entry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** {@code /api/sd}: what is served here, as Prometheus http_sd_configs target groups. */
final class SdView {
  /** The labels of where a container runs that reach Prometheus; any others are dropped. */
  static final Set<String> RUNS_ON =
      Set.of("service", "stack", "task_slot", "compose_project", "compose_service", "cluster");

  private static final Comparator<ApiModel.SdGroup> ORDER =
      Comparator.comparing((ApiModel.SdGroup g) -> g.labels().get("name"))
          .thenComparing(g -> g.labels().getOrDefault("node", ""))
          .thenComparing(g -> g.labels().getOrDefault("container", ""));

  private SdView() {}

  /**
   * One group per served name, all at {@code hostPort}; {@code basePath} is where the application
   * is mounted (context and servlet path), without a trailing slash.
   */
  static List<ApiModel.SdGroup> names(ProxyState.View view, String hostPort, String basePath) {
    return view.snapshot().all().stream()
        .map(
            s -> {
              Map<String, String> labels = new LinkedHashMap<>();
              labels.put("__metrics_path__", metricsPath(basePath, s.name()));
              labels.put("name", s.name());
              return new ApiModel.SdGroup(List.of(hostPort), Collections.unmodifiableMap(labels));
            })
        .toList();
  }

  /**
   * One group per container known here (scraped here or replicated from the node that scraped it),
   * at the proxy of that node and asking it for that container alone: every managers gives the same
   * list, and Prometheus scrapes each container once, labelled with where it runs.
   */
  static List<ApiModel.SdGroup> swarm(ProxyState.View view, String hostPort, String basePath) {
    Optional<String> own = view.lastCycle().flatMap(CycleReport::node);
    List<ApiModel.SdGroup> groups = new ArrayList<>();
    for (Served s : view.snapshot().all()) {
      for (Entry e : s.entries()) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("__metrics_path__", metricsPath(basePath, e.name()));
        labels.put("__param_container", e.containerName());
        labels.put("name", e.name());
        labels.put("container", e.containerName());
        labels.put("node", e.node());
        labels.putAll(labels(e.labels()));
        boolean local = own.isEmpty() || own.get().equals(e.node());
        String target = SdTarget.of(e.address(), local, e.node(), Optional.of(hostPort));
        groups.add(new ApiModel.SdGroup(List.of(target), Collections.unmodifiableMap(labels)));
      }
    }
    groups.sort(ORDER);
    return groups;
  }

  /** The labels of {@link #RUNS_ON} among {@code labels}, in name order. */
  static Map<String, String> labels(Map<String, String> labels) {
    Map<String, String> kept = new TreeMap<>(labels);
    kept.keySet().retainAll(RUNS_ON);
    return Collections.unmodifiableMap(kept);
  }

  private static String metricsPath(String basePath, String name) {
    return basePath + "/" + Html.pathSegment(name) + "/metrics";
  }
}
