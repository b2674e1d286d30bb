package io.appmetricsproxy.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.status.CycleReport;
import io.appmetricsproxy.status.ProxyState;
import io.appmetricsproxy.status.Snapshot;
import io.appmetricsproxy.store.Entry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code /api/sd?scope=swarm}: each container once, at the node that scraped it. */
class SdViewTest {
  private static Entry entry(
      String node, String id, String container, Map<String, String> labels, String address) {
    return new Entry(
        node,
        id,
        container,
        "web",
        TargetsViewTest.T,
        TargetsViewTest.BODY,
        true,
        labels,
        Optional.ofNullable(address));
  }

  private static ProxyState.View view(String thisNode, Entry... entries) {
    CycleReport cycle =
        new CycleReport(
            TargetsViewTest.T,
            Duration.ofMillis(5),
            Optional.of(thisNode),
            Optional.empty(),
            List.of(),
            List.of(),
            List.of());
    return new ProxyState.View(Snapshot.of(List.of(entries)), Optional.of(cycle));
  }

  private static Map<String, String> labels(String... keysAndValues) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      labels.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return labels;
  }

  @Test
  void everyContainerIsATargetAtItsNodeAskedForItAlone() {
    ProxyState.View view =
        view(
            "m1",
            entry(
                "w1", "b", "shop_web.2.y", Map.of("service", "web", "task_slot", "2"), "10.0.0.4"),
            entry("m1", "a", "shop_web.1.x", Map.of("service", "web", "task_slot", "1"), null),
            entry("w2", "c", "shop_web.3.z", Map.of("stack", "shop"), "w2.example:9000"),
            entry("w3", "d", "shop_web.4.q", Map.of(), null));
    assertThat(SdView.swarm(view, "m1.example:2137", "/amp"))
        .containsExactly(
            new ApiModel.SdGroup(
                List.of("m1.example:2137"),
                labels(
                    "__metrics_path__", "/amp/web/metrics",
                    "__param_container", "shop_web.1.x",
                    "name", "web",
                    "container", "shop_web.1.x",
                    "node", "m1",
                    "service", "web",
                    "task_slot", "1")),
            new ApiModel.SdGroup(
                List.of("10.0.0.4:2137"),
                labels(
                    "__metrics_path__", "/amp/web/metrics",
                    "__param_container", "shop_web.2.y",
                    "name", "web",
                    "container", "shop_web.2.y",
                    "node", "w1",
                    "service", "web",
                    "task_slot", "2")),
            new ApiModel.SdGroup(
                List.of("w2.example:9000"),
                labels(
                    "__metrics_path__", "/amp/web/metrics",
                    "__param_container", "shop_web.3.z",
                    "name", "web",
                    "container", "shop_web.3.z",
                    "node", "w2",
                    "stack", "shop")),
            new ApiModel.SdGroup(
                List.of("w3:2137"),
                labels(
                    "__metrics_path__", "/amp/web/metrics",
                    "__param_container", "shop_web.4.q",
                    "name", "web",
                    "container", "shop_web.4.q",
                    "node", "w3")));
  }

  @Test
  void onlyTheLabelsOfWhereItRunsComeFromAPeersEntry() {
    ProxyState.View view =
        view(
            "m1",
            entry(
                "w1",
                "b",
                "web-1",
                Map.of("__address__", "evil:1", "node", "forged", "cluster", "qa", "job", "x"),
                "10.0.0.4:2137"));
    assertThat(SdView.swarm(view, "m1:2137", "").get(0).labels())
        .containsEntry("node", "w1")
        .containsEntry("cluster", "qa")
        .containsEntry("__metrics_path__", "/web/metrics")
        .doesNotContainKeys("__address__", "job")
        .doesNotContainValue("forged");
  }

  @Test
  void ipv6AddressesKeepTheirBrackets() {
    assertThat(SdTarget.of(Optional.of("[fd00::4]"), false, "w1", Optional.of("[::1]:2137")))
        .isEqualTo("[fd00::4]:2137");
    assertThat(SdTarget.of(Optional.of("[fd00::4]:80"), false, "w1", Optional.of("m1:2137")))
        .isEqualTo("[fd00::4]:80");
    assertThat(SdTarget.of(Optional.empty(), false, "w1", Optional.of("m1"))).isEqualTo("w1");
  }
}
