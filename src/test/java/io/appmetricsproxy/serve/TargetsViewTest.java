package io.appmetricsproxy.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.discover.Skipped;
import io.appmetricsproxy.discover.Target;
import io.appmetricsproxy.exposition.Format;
import io.appmetricsproxy.exposition.Payload;
import io.appmetricsproxy.scrape.ScrapeError;
import io.appmetricsproxy.scrape.ScrapeResult;
import io.appmetricsproxy.status.CycleReport;
import io.appmetricsproxy.status.ProxyState;
import io.appmetricsproxy.status.Snapshot;
import io.appmetricsproxy.store.Entry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TargetsViewTest {
  static final Instant T = Instant.parse("2026-11-25T12:00:00Z");
  static final Payload BODY = Payload.of("x 1\n".getBytes(StandardCharsets.UTF_8), Format.TEXT);

  static Target target(String id, String container, String name) {
    return new Target(id, container, name, "10.0.0.5", List.of(8080, 9100), "/m");
  }

  static ScrapeResult ok(Target t) {
    return new ScrapeResult.Success(t, T, Duration.ofMillis(3), 8080, BODY);
  }

  static ScrapeResult failed(Target t, ScrapeError.Reason reason, String message) {
    return new ScrapeResult.Failure(t, T, Duration.ofMillis(250), new ScrapeError(reason, message));
  }

  static Entry entry(String node, String id, String container, String name, Instant at) {
    return new Entry(node, id, container, name, at, BODY);
  }

  static CycleReport cycle(
      Optional<String> node, Optional<String> engineError, List<ScrapeResult> results) {
    return new CycleReport(
        T,
        Duration.ofMillis(12),
        node,
        engineError,
        results,
        List.of(new Skipped("c9", "batch", "label prometheus.io/scrape=false")),
        List.of());
  }

  static ApiModel.Target row(
      String name,
      String container,
      String id,
      String node,
      String address,
      String path,
      boolean up,
      boolean served,
      String lastScrapeAt,
      Double duration,
      Long size,
      ApiModel.Error error) {
    return new ApiModel.Target(
        name,
        container,
        id,
        node,
        ApiModel.LOCAL,
        address,
        path,
        up,
        served,
        lastScrapeAt,
        duration,
        size,
        error,
        null,
        Map.of(),
        node,
        served ? "text" : null,
        List.of());
  }

  static Stream<Arguments> rows() {
    Target web = target("a1", "web-1", "web");
    Target db = target("b2", "db-1", "<db> x");
    Target cache = target("c3", "cache-1", "cache");
    return Stream.of(
        Arguments.of(
            "up: address with the port that answered, last good scrape, size",
            ok(web),
            List.of(entry("n1", "a1", "web-1", "web", T)),
            row(
                "web",
                "web-1",
                "a1",
                "n1",
                "10.0.0.5:8080",
                "/m",
                true,
                true,
                "2026-11-25T12:00:00Z",
                0.003,
                4L,
                null)),
        Arguments.of(
            "failing, never good: host alone, no scrape time, no size",
            failed(db, ScrapeError.Reason.CONNECT, "8080: refused; 9100: refused"),
            List.of(),
            row(
                "<db> x",
                "db-1",
                "b2",
                "n1",
                "10.0.0.5",
                "/m",
                false,
                false,
                null,
                0.25,
                null,
                new ApiModel.Error("connect", "8080: refused; 9100: refused"))),
        Arguments.of(
            "failing, an older good scrape still served",
            failed(cache, ScrapeError.Reason.INVALID, "8080: not Prometheus text"),
            List.of(entry("n1", "c3", "cache-1", "cache", T.minusSeconds(20))),
            row(
                "cache",
                "cache-1",
                "c3",
                "n1",
                "10.0.0.5",
                "/m",
                false,
                true,
                "2026-11-25T11:59:40Z",
                0.25,
                4L,
                new ApiModel.Error("invalid", "8080: not Prometheus text"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void oneRowPerScrapedContainer(
      String what, ScrapeResult result, List<Entry> stored, ApiModel.Target expected) {
    ProxyState.View view =
        new ProxyState.View(
            Snapshot.of(stored),
            Optional.of(cycle(Optional.of("n1"), Optional.empty(), List.of(result))));
    assertThat(TargetsView.targets(view).targets()).containsExactly(expected);
  }

  @Test
  void beforeTheFirstCycle() {
    assertThat(TargetsView.targets(new ProxyState.View(Snapshot.empty(), Optional.empty())))
        .isEqualTo(
            new ApiModel.Targets(
                null, false, new ApiModel.Engine(false, null), null, 0, List.of(), List.of()));
  }

  @Test
  void summaryAndSortedByNameThenContainer() {
    List<ScrapeResult> results =
        List.of(
            ok(target("z", "web-2", "web")),
            ok(target("y", "web-1", "web")),
            ok(target("x", "api-1", "api")));
    ApiModel.Targets json =
        TargetsView.targets(
            new ProxyState.View(
                Snapshot.empty(),
                Optional.of(cycle(Optional.of("n1"), Optional.empty(), results))));
    assertThat(json.node()).isEqualTo("n1");
    assertThat(json.ready()).isTrue();
    assertThat(json.engine()).isEqualTo(new ApiModel.Engine(true, null));
    assertThat(json.lastCycle())
        .isEqualTo(new ApiModel.LastCycle("2026-11-25T12:00:00Z", 0.012, 3, 3, List.of()));
    assertThat(json.targets())
        .extracting(ApiModel.Target::name, ApiModel.Target::container)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("api", "api-1"),
            org.assertj.core.groups.Tuple.tuple("web", "web-1"),
            org.assertj.core.groups.Tuple.tuple("web", "web-2"));
    assertThat(json.skipped())
        .containsExactly(new ApiModel.Skipped("batch", "c9", "label prometheus.io/scrape=false"));
  }

  @Test
  void engineDownStoredContainersStayListedAsNotSeen() {
    ProxyState.View view =
        new ProxyState.View(
            Snapshot.of(List.of(entry("n1", "a1", "web-1", "web", T.minusSeconds(5)))),
            Optional.of(cycle(Optional.empty(), Optional.of("Docker engine: refused"), List.of())));
    ApiModel.Targets json = TargetsView.targets(view);
    assertThat(json.node()).isNull();
    assertThat(json.engine()).isEqualTo(new ApiModel.Engine(false, "Docker engine: refused"));
    assertThat(json.targets())
        .containsExactly(
            row(
                "web",
                "web-1",
                "a1",
                "n1",
                null,
                null,
                false,
                true,
                "2026-11-25T11:59:55Z",
                null,
                4L,
                new ApiModel.Error(
                    TargetsView.NOT_SEEN,
                    "not seen in the last cycle; its last good scrape is served")));
  }

  @Test
  void entriesOfOtherNodesAreReplicatedNotUnseen() {
    ProxyState.View view =
        new ProxyState.View(
            Snapshot.of(
                List.of(
                    entry("n1", "a1", "web-1", "web", T),
                    entry("n2", "a1", "web-1", "web", T.minusSeconds(3)),
                    entry("n1", "b2", "api-1", "api", T.minusSeconds(9)))),
            Optional.of(
                cycle(
                    Optional.of("n1"),
                    Optional.empty(),
                    List.of(ok(target("a1", "web-1", "web"))))));
    ApiModel.Targets json = TargetsView.targets(view);
    assertThat(json.namesServed()).isEqualTo(2);
    assertThat(json.lastCycle().targets()).isEqualTo(1);
    assertThat(json.lastCycle().up()).isEqualTo(1);
    assertThat(json.targets())
        .containsExactly(
            row(
                "api",
                "api-1",
                "b2",
                "n1",
                null,
                null,
                false,
                true,
                "2026-11-25T11:59:51Z",
                null,
                4L,
                new ApiModel.Error(
                    TargetsView.NOT_SEEN,
                    "not seen in the last cycle; its last good scrape is served")),
            row(
                "web",
                "web-1",
                "a1",
                "n1",
                "10.0.0.5:8080",
                "/m",
                true,
                true,
                "2026-11-25T12:00:00Z",
                0.003,
                4L,
                null),
            new ApiModel.Target(
                "web",
                "web-1",
                "a1",
                "n2",
                ApiModel.REPLICATED,
                null,
                null,
                true,
                true,
                "2026-11-25T11:59:57Z",
                null,
                4L,
                null,
                null,
                Map.of(),
                "n2",
                "text",
                List.of()));
  }

  @Test
  void storeErrorsAreInTheLastCycle() {
    CycleReport report =
        new CycleReport(
            T,
            Duration.ofMillis(12),
            Optional.of("n1"),
            Optional.empty(),
            List.of(),
            List.of(),
            List.of("cannot write /var/amp/x: disk full"));
    assertThat(
            TargetsView.targets(new ProxyState.View(Snapshot.empty(), Optional.of(report)))
                .lastCycle()
                .storeErrors())
        .containsExactly("cannot write /var/amp/x: disk full");
  }

  @Test
  void sdHasOneGroupPerServedNameWithEncodedPath() {
    ProxyState.View view =
        new ProxyState.View(
            Snapshot.of(
                List.of(
                    entry("n1", "a1", "web-1", "web", T),
                    entry("n1", "a2", "web-2", "web", T),
                    entry("n1", "b1", "x", "<a b>/ü", T))),
            Optional.empty());
    assertThat(SdView.names(view, "node1:2137", "/amp"))
        .containsExactly(
            new ApiModel.SdGroup(
                List.of("node1:2137"),
                Map.of("__metrics_path__", "/amp/%3Ca%20b%3E%2F%C3%BC/metrics", "name", "<a b>/ü")),
            new ApiModel.SdGroup(
                List.of("node1:2137"),
                Map.of("__metrics_path__", "/amp/web/metrics", "name", "web")));
    assertThat(SdView.names(view, "node1:2137", "").get(1).labels())
        .containsEntry("__metrics_path__", "/web/metrics");
  }
}
