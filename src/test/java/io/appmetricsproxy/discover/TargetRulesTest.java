package io.appmetricsproxy.discover;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.discover.ContainerInfo.Endpoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TargetRulesTest {
  private final TargetRules rules = new TargetRules(List.of(80, 8080, 9100), "/metrics");

  private static ContainerInfo container(
      String id,
      String name,
      Map<String, String> labels,
      String mode,
      Map<String, Endpoint> networks) {
    return new ContainerInfo(id, name, labels, mode, networks);
  }

  private static ContainerInfo bridged(String id, String name, Map<String, String> labels) {
    return container(
        id,
        name,
        labels,
        "bridge",
        Map.of("bridge", new Endpoint("172.17.0." + id.length(), "172.17.0.1")));
  }

  private Discovery classify(ContainerInfo... containers) {
    return rules.classify("node-1", List.of(containers), Optional.empty());
  }

  @Test
  void namesFollowOverrideThenSwarmThenComposeThenContainer() {
    Map<String, String> swarm =
        Map.of(
            "com.docker.swarm.service.name", "monitoring_app",
            "com.docker.stack.namespace", "monitoring",
            "com.docker.compose.service", "ignored");
    assertThat(TargetRules.name(bridged("a", "monitoring_app.1.xyz", swarm))).isEqualTo("app");
    assertThat(
            TargetRules.name(
                bridged("a", "c", Map.of("com.docker.swarm.service.name", "standalone-service"))))
        .isEqualTo("standalone-service");
    assertThat(
            TargetRules.name(
                bridged(
                    "a",
                    "proj-web-1",
                    Map.of(
                        "com.docker.compose.service",
                        "web",
                        "com.docker.compose.project",
                        "proj"))))
        .isEqualTo("web");
    assertThat(TargetRules.name(bridged("a", "plain", Map.of()))).isEqualTo("plain");
    assertThat(
            TargetRules.name(
                bridged(
                    "a",
                    "monitoring_app.1.xyz",
                    Map.of(
                        "com.docker.swarm.service.name", "monitoring_app",
                        "com.docker.stack.namespace", "monitoring",
                        "app-metrics-proxy.name", " billing "))))
        .isEqualTo("billing");
  }

  @Test
  void labelsSetPortFirstAndPath() {
    Target t =
        classify(
                bridged(
                    "abc",
                    "web",
                    Map.of(
                        "prometheus.io/port",
                        "9404",
                        "prometheus.io/path",
                        "/actuator/prometheus")))
            .targets()
            .get(0);
    assertThat(t.ports()).containsExactly(9404, 80, 8080, 9100);
    assertThat(t.path()).isEqualTo("/actuator/prometheus");
    Target defaults =
        classify(bridged("abc", "web", Map.of("prometheus.io/port", "8080"))).targets().get(0);
    assertThat(defaults.ports()).containsExactly(8080, 80, 9100);
    assertThat(defaults.path()).isEqualTo("/metrics");
  }

  @Test
  void skippedContainersCarryAReason() {
    Discovery d =
        classify(
            bridged("a", "off", Map.of("prometheus.io/scrape", "False")),
            bridged("bb", "badport", Map.of("prometheus.io/port", "http")),
            bridged("ccc", "badpath", Map.of("prometheus.io/path", "metrics")),
            bridged("dddd", "slash", Map.of("app-metrics-proxy.name", "a/b")),
            container("eeeee", "nonet", Map.of(), "none", Map.of()),
            bridged("ffffff", "ok", Map.of("prometheus.io/scrape", "true")));
    assertThat(d.targets()).extracting(Target::containerName).containsExactly("ok");
    assertThat(d.skipped())
        .extracting(Skipped::reason)
        .containsExactly(
            "label prometheus.io/scrape=false",
            "label prometheus.io/port=\"http\" is not a port number",
            "label prometheus.io/path=\"metrics\" does not start with \"/\"",
            "name \"a/b\" cannot be used in a URL path",
            "no network address (network mode \"none\")");
    assertThat(d.node()).isEqualTo("node-1");
  }

  @Test
  void theProxysOwnContainerIsLeftOutEntirely() {
    ContainerInfo self = bridged("self0123456789", "proxy", Map.of());
    ContainerInfo other = bridged("other", "app", Map.of());
    Discovery d = rules.classify("n", List.of(self, other), Optional.of("self0123"));
    assertThat(d.targets()).extracting(Target::containerName).containsExactly("app");
    assertThat(d.skipped()).isEmpty();
  }

  @Test
  void aNetworkSharedWithTheProxyComesFirst() {
    Map<String, Endpoint> nets = new LinkedHashMap<>();
    nets.put("a_frontend", new Endpoint("10.0.1.5", "10.0.1.1"));
    nets.put("monitoring", new Endpoint("10.0.9.5", "10.0.9.1"));
    ContainerInfo app = container("app", "app", Map.of(), "a_frontend", nets);
    ContainerInfo proxy =
        container(
            "proxy",
            "proxy",
            Map.of(),
            "monitoring",
            Map.of("monitoring", new Endpoint("10.0.9.2", "10.0.9.1")));
    assertThat(TargetRules.address(app, Optional.of(proxy))).contains("10.0.9.5");
    assertThat(TargetRules.address(app, Optional.empty())).contains("10.0.1.5");
  }

  @Test
  void theFirstNetworkWithAnAddressWinsWhenNoneIsShared() {
    Map<String, Endpoint> nets = new LinkedHashMap<>();
    nets.put("empty", new Endpoint("", ""));
    nets.put("second", new Endpoint("10.0.2.7", "10.0.2.1"));
    ContainerInfo app = container("app", "app", Map.of(), "bridge", nets);
    ContainerInfo proxy =
        container(
            "proxy",
            "proxy",
            Map.of(),
            "other",
            Map.of("other", new Endpoint("10.0.3.2", "10.0.3.1")));
    assertThat(TargetRules.address(app, Optional.of(proxy))).contains("10.0.2.7");
  }

  @Test
  void aHostNetworkContainerIsReachedOnTheHost() {
    ContainerInfo exporter = container("ne", "node-exporter", Map.of(), "host", Map.of());
    assertThat(TargetRules.address(exporter, Optional.empty())).contains("127.0.0.1");
    ContainerInfo hostProxy = container("p", "proxy", Map.of(), "host", Map.of());
    assertThat(TargetRules.address(exporter, Optional.of(hostProxy))).contains("127.0.0.1");
    ContainerInfo bridgedProxy =
        container(
            "p",
            "proxy",
            Map.of(),
            "bridge",
            Map.of("bridge", new Endpoint("172.17.0.3", "172.17.0.1")));
    assertThat(TargetRules.address(exporter, Optional.of(bridgedProxy))).contains("172.17.0.1");
  }

  /** One row: task name labels (service, task name, task id) and whether the entry is shared. */
  private record SharedCase(String why, Map<String, String> labels, boolean shared) {}

  private static Map<String, String> task(String service, String taskName, String taskId) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (service != null) {
      labels.put("com.docker.swarm.service.name", service);
    }
    labels.put("com.docker.swarm.task.name", taskName);
    if (taskId != null) {
      labels.put("com.docker.swarm.task.id", taskId);
    }
    return labels;
  }

  @Test
  void globalServiceTasksAndOptedOutContainersAreNotShared() {
    String node = "6vy0b3s77tbq2m8ivfcsp3ccr";
    String id = "q1w2e3r4t5y6u7i8o9p0a1s2d";
    List<SharedCase> cases =
        List.of(
            new SharedCase("plain container", Map.of(), true),
            new SharedCase("replicated task", task("mon_app", "mon_app.3." + id, id), true),
            new SharedCase("global task", task("mon_app", "mon_app." + node + "." + id, id), false),
            new SharedCase("slot 10", task("app", "app.10." + id, id), true),
            new SharedCase(
                "service name with dots", task("a.b.c", "a.b.c." + node + "." + id, id), false),
            new SharedCase(
                "service name with dots, replicated", task("a.b.c", "a.b.c.2." + id, id), true),
            new SharedCase(
                "global, no service label", task(null, "app." + node + "." + id, id), false),
            new SharedCase(
                "global, only the task name", task(null, "app." + node + "." + id, null), false),
            new SharedCase("replicated, only the task name", task(null, "app.1." + id, null), true),
            new SharedCase("task name without parts", task(null, "odd", null), true),
            new SharedCase("empty task name", task("app", "", null), true),
            new SharedCase(
                "replicate=false", Map.of("app-metrics-proxy.replicate", " FALSE "), false),
            new SharedCase("replicate=true", Map.of("app-metrics-proxy.replicate", "true"), true),
            new SharedCase(
                "replicate=no is not false", Map.of("app-metrics-proxy.replicate", "no"), true));
    for (SharedCase c : cases) {
      assertThat(TargetRules.shared(bridged("a", "c", c.labels())))
          .as(c.why())
          .isEqualTo(c.shared());
    }
  }

  @Test
  void classifiedTargetsCarryShared() {
    Discovery d =
        classify(
            bridged("a", "plain", Map.of()),
            bridged("bb", "local", Map.of("app-metrics-proxy.replicate", "false")));
    assertThat(d.targets()).extracting(Target::shared).containsExactly(true, false);
  }

  @Test
  void aTargetIsLabelledWithWhereItRuns() {
    TargetRules qa = new TargetRules(List.of(80), "/metrics", Optional.of("qa"));
    ContainerInfo replica =
        bridged(
            "a",
            "shop_web.2.x1y2",
            Map.of(
                TargetRules.SWARM_SERVICE_LABEL, "shop_web",
                TargetRules.STACK_LABEL, "shop",
                TargetRules.TASK_NAME_LABEL, "shop_web.2.x1y2",
                TargetRules.TASK_ID_LABEL, "x1y2"));
    ContainerInfo global =
        bridged(
            "bb",
            "agent.n0de1d.z9",
            Map.of(
                TargetRules.SWARM_SERVICE_LABEL, "agent",
                TargetRules.TASK_NAME_LABEL, "agent.n0de1d.z9",
                TargetRules.TASK_ID_LABEL, "z9"));
    ContainerInfo compose =
        bridged(
            "ccc",
            "blog-db-1",
            Map.of(
                TargetRules.COMPOSE_PROJECT_LABEL,
                "blog",
                TargetRules.COMPOSE_SERVICE_LABEL,
                "db"));
    ContainerInfo plain = bridged("dddd", "adhoc", Map.of());
    List<Target> targets =
        qa.classify("node-1", List.of(replica, global, compose, plain), Optional.empty()).targets();
    assertThat(targets)
        .extracting(Target::labels)
        .containsExactly(
            Map.of("service", "web", "stack", "shop", "task_slot", "2", "cluster", "qa"),
            Map.of("service", "agent", "cluster", "qa"),
            Map.of("compose_project", "blog", "compose_service", "db", "cluster", "qa"),
            Map.of("cluster", "qa"));
    assertThat(classify(plain).targets().get(0).labels()).isEmpty();
  }
}
