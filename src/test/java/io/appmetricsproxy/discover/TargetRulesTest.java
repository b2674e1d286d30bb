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
}
