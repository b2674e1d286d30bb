package io.appmetricsproxy.serve;

import io.appmetricsproxy.status.ProxyState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The HTML index, rendered from the models of {@code /api/targets} and {@code /api/peers}: one
 * self-contained page, readable without its script.
 */
final class IndexPage {
  private IndexPage() {}

  static String render(ProxyState.View view, Instant now) {
    return render(view, now, Optional.empty());
  }

  /** {@code client}: the {@code host[:port]} the request reached, for the sd targets. */
  static String render(ProxyState.View view, Instant now, Optional<String> client) {
    return render(TargetsView.targets(view, client), PeersView.peers(view), now);
  }

  static String render(ApiModel.Targets targets, ApiModel.Peers peers, Instant now) {
    StringBuilder html = new StringBuilder(8192);
    html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>app-metrics-proxy");
    if (targets.node() != null) {
      html.append(" · ").append(Html.escape(targets.node()));
    }
    html.append("</title><style>")
        .append(IndexAssets.STYLE)
        .append("</style></head><body><h1>app-metrics-proxy</h1>");
    banners(html, targets, peers);
    summary(html, targets, peers, now);
    targetTable(html, targets, now);
    PeersSection.append(html, peers, now);
    skipped(html, targets.skipped());
    html.append("<p class=\"muted\"><a href=\"metrics\">Own metrics</a> · JSON:")
        .append(" <a href=\"api/targets\">targets</a>, <a href=\"api/peers\">peers</a>,")
        .append(" <a href=\"api/sd\">service discovery</a></p><script>")
        .append(IndexAssets.SCRIPT)
        .append("</script></body></html>\n");
    return html.toString();
  }

  private static void banners(StringBuilder html, ApiModel.Targets targets, ApiModel.Peers peers) {
    if (targets.engine().error() != null) {
      String error = targets.engine().error();
      String from = fromDiscoveryAt(targets);
      banner(
          html,
          "Docker engine unreachable: ",
          from == null
              ? error
              : error + "; the containers below are from the last discovery at " + from);
    }
    if (targets.lastCycle() != null) {
      targets.lastCycle().storeErrors().forEach(e -> banner(html, "Store: ", e));
    }
    if (peers.problem() != null) {
      banner(html, "Replication: ", peers.problem());
    }
  }

  /** When the engine was last listed, if the targets shown are from then; else null. */
  private static String fromDiscoveryAt(ApiModel.Targets targets) {
    return targets.targets().stream()
        .map(ApiModel.Target::fromDiscoveryAt)
        .filter(at -> at != null)
        .findFirst()
        .orElse(null);
  }

  private static void banner(StringBuilder html, String what, String message) {
    html.append("<p class=\"banner err\">")
        .append(what)
        .append(Html.escape(message))
        .append("</p>");
  }

  private static void summary(
      StringBuilder html, ApiModel.Targets targets, ApiModel.Peers peers, Instant now) {
    html.append("<p class=\"summary\" id=\"summary\">Node <b>")
        .append(Html.escape(targets.node() == null ? "unknown" : targets.node()))
        .append("</b> · role <b>")
        .append(Html.escape(peers.role()))
        .append("</b> · engine ");
    if (!targets.ready()) {
      html.append("<b>not asked yet</b>");
    } else if (targets.engine().reachable()) {
      html.append("<b class=\"ok\">up</b>");
    } else {
      html.append("<b class=\"err\">unreachable</b>");
    }
    ApiModel.LastCycle last = targets.lastCycle();
    if (last != null) {
      html.append(" · targets up <b>").append(last.up()).append('/').append(last.targets());
      html.append("</b>");
    }
    html.append(" · names served <b>").append(targets.namesServed()).append("</b> · ");
    if (last == null) {
      html.append("no cycle has completed yet</p>");
      return;
    }
    html.append("last cycle ")
        .append(Html.age(Instant.parse(last.startedAt()), now))
        .append(", took ")
        .append(Html.duration(Html.seconds(last.durationSeconds())))
        .append("</p>");
  }

  private static void targetTable(StringBuilder html, ApiModel.Targets targets, Instant now) {
    Set<String> served =
        targets.targets().stream()
            .filter(ApiModel.Target::served)
            .map(ApiModel.Target::name)
            .collect(Collectors.toSet());
    html.append("<div class=\"scroll\"><table class=\"sortable\" id=\"targets\"><thead><tr>")
        .append("<th>Name</th><th>Container</th><th>Origin node</th><th>Address</th>")
        .append("<th>Last scrape</th><th>Duration</th><th>Size</th><th>Status</th>")
        .append("<th title=\"what /api/sd?scope=swarm gives Prometheus\">Swarm sd target</th>")
        .append("</tr></thead><tbody>");
    for (ApiModel.Target t : targets.targets()) {
      row(html, t, served.contains(t.name()), now);
    }
    if (targets.targets().isEmpty()) {
      html.append("<tr><td colspan=\"9\" class=\"muted\">No containers yet.</td></tr>");
    }
    html.append("</tbody></table></div>");
  }

  private static void row(StringBuilder html, ApiModel.Target t, boolean served, Instant now) {
    boolean failing = t.error() != null && !TargetsView.NOT_SEEN.equals(t.error().reason());
    html.append(failing ? "<tr class=\"failing\"><td>" : "<tr><td>");
    if (served) {
      html.append("<a href=\"")
          .append(Html.pathSegment(t.name()))
          .append("/metrics\">")
          .append(Html.escape(t.name()))
          .append("</a>");
    } else {
      html.append(Html.escape(t.name()));
    }
    html.append("</td><td>")
        .append(Html.escape(t.container()))
        .append("</td><td>")
        .append(Html.escape(t.node() == null ? "" : t.node()))
        .append("</td><td>")
        .append(Html.escape(t.address() == null ? "" : t.address()))
        .append("</td>");
    Instant at = t.lastScrapeAt() == null ? null : Instant.parse(t.lastScrapeAt());
    Html.numberCell(
        html,
        at == null ? null : Duration.between(at, now).toMillis() / 1e3,
        at == null ? "never" : Html.age(at, now));
    Double d = t.scrapeDurationSeconds();
    Html.numberCell(html, d, d == null ? "" : Html.duration(Html.seconds(d)));
    Long size = t.sizeBytes();
    Html.numberCell(
        html, size == null ? null : size.doubleValue(), size == null ? "" : Html.size(size));
    html.append(status(t)).append(sdTarget(t)).append("</tr>");
  }

  /** The node's proxy that a Prometheus scrapes it at, and where it runs. */
  private static String sdTarget(ApiModel.Target t) {
    StringBuilder cell = new StringBuilder("<td><code>");
    cell.append(Html.escape(t.sdTarget() == null ? "" : t.sdTarget())).append("</code>");
    t.labels()
        .forEach(
            (k, v) ->
                cell.append(" <span class=\"muted\">")
                    .append(Html.escape(k))
                    .append('=')
                    .append(Html.escape(v))
                    .append("</span>"));
    return cell.append("</td>").toString();
  }

  private static String status(ApiModel.Target t) {
    if (ApiModel.REPLICATED.equals(t.origin())) {
      return "<td class=\"status muted\">replicated</td>";
    }
    String from =
        t.fromDiscoveryAt() == null
            ? ""
            : " <span class=\"muted\">(from the last discovery at "
                + Html.escape(t.fromDiscoveryAt())
                + ")</span>";
    if (t.error() == null) {
      return "<td class=\"status ok\">up" + from + nativeOnly(t) + "</td>";
    }
    if (TargetsView.NOT_SEEN.equals(t.error().reason())) {
      return "<td class=\"status warn\">" + Html.escape(t.error().message()) + "</td>";
    }
    return "<td class=\"status err\">"
        + Html.escape(t.error().reason())
        + ": "
        + Html.escape(t.error().message())
        + from
        + "</td>";
  }

  /** The histograms a client without protobuf does not get of this target, if any. */
  private static String nativeOnly(ApiModel.Target t) {
    if (t.nativeOnly() == null || t.nativeOnly().isEmpty()) {
      return "";
    }
    return " <span class=\"warn\">(native histograms whose buckets only protobuf clients get: "
        + Html.escape(String.join(", ", t.nativeOnly()))
        + ")</span>";
  }

  private static void skipped(StringBuilder html, List<ApiModel.Skipped> skipped) {
    if (skipped.isEmpty()) {
      return;
    }
    html.append("<h2>Not scraped</h2><div class=\"scroll\"><table id=\"skipped\"><tbody>");
    for (ApiModel.Skipped s : skipped) {
      html.append("<tr><td>")
          .append(Html.escape(s.container()))
          .append("</td><td>")
          .append(Html.escape(s.reason()))
          .append("</td></tr>");
    }
    html.append("</tbody></table></div>");
  }
}
