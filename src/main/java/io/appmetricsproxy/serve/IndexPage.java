package io.appmetricsproxy.serve;

import io.appmetricsproxy.discover.Skipped;
import io.appmetricsproxy.scrape.ScrapeResult;
import io.appmetricsproxy.store.Entry;
import io.appmetricsproxy.store.Served;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The HTML index: one row per container, grouped by the name it is served under. */
final class IndexPage {
  private static final String STYLE =
      "body{font:14px system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse}"
          + "td,th{padding:.3em .7em;border-bottom:1px solid #ddd;text-align:left}"
          + ".err{color:#b00020}.ok{color:#1b7f3a}.banner{background:#fde7e9;padding:.5em}";

  private IndexPage() {}

  static String render(ProxyState.View view, Instant now) {
    Map<String, Row> rows = rows(view);
    StringBuilder html = new StringBuilder(4096);
    html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>app-metrics-proxy</title><style>")
        .append(STYLE)
        .append("</style></head><body><h1>app-metrics-proxy</h1>");
    summary(html, view, now);
    html.append("<table><thead><tr><th>Name</th><th>Container</th><th>Address</th>")
        .append("<th>Last good scrape</th><th>Duration</th><th>Size</th><th>Status</th>")
        .append("</tr></thead><tbody>");
    rows.values().forEach(row -> row.append(html, view, now));
    html.append("</tbody></table>");
    skipped(html, view.lastCycle().map(CycleReport::skipped).orElse(List.of()));
    html.append("<p><a href=\"metrics\">Own metrics</a></p></body></html>\n");
    return html.toString();
  }

  private static void summary(StringBuilder html, ProxyState.View view, Instant now) {
    if (view.lastCycle().isEmpty()) {
      html.append("<p>No cycle has completed yet.</p>");
      return;
    }
    CycleReport last = view.lastCycle().get();
    last.engineError()
        .ifPresent(
            e ->
                html.append("<p class=\"banner err\">Docker engine unreachable: ")
                    .append(Html.escape(e))
                    .append("</p>"));
    last.storeErrors()
        .forEach(
            e ->
                html.append("<p class=\"banner err\">Store: ")
                    .append(Html.escape(e))
                    .append("</p>"));
    html.append("<p>Node <b>")
        .append(Html.escape(last.node().orElse("unknown")))
        .append("</b> · targets up ")
        .append(last.up())
        .append('/')
        .append(last.results().size())
        .append(" · names served ")
        .append(view.snapshot().size())
        .append(" · last cycle ")
        .append(Html.duration(Duration.between(last.startedAt(), now)))
        .append(" ago, took ")
        .append(Html.duration(last.duration()))
        .append("</p>");
  }

  private static void skipped(StringBuilder html, List<Skipped> skipped) {
    if (skipped.isEmpty()) {
      return;
    }
    html.append("<h2>Not scraped</h2><table><tbody>");
    for (Skipped s : skipped) {
      html.append("<tr><td>")
          .append(Html.escape(s.containerName()))
          .append("</td><td>")
          .append(Html.escape(s.reason()))
          .append("</td></tr>");
    }
    html.append("</tbody></table>");
  }

  /** Containers by name: the last cycle's results, plus stored entries the cycle did not see. */
  private static Map<String, Row> rows(ProxyState.View view) {
    Map<String, Row> rows = new TreeMap<>();
    view.lastCycle()
        .ifPresent(
            c ->
                c.results()
                    .forEach(
                        r ->
                            rows.computeIfAbsent(r.target().name(), Row::new)
                                .results
                                .put(r.target().containerId(), r)));
    for (Served served : view.snapshot().all()) {
      Row row = rows.computeIfAbsent(served.name(), Row::new);
      served.entries().forEach(e -> row.entries.put(e.containerId(), e));
    }
    return rows;
  }

  /** One name with its containers. */
  private static final class Row {
    final String name;
    final Map<String, ScrapeResult> results = new TreeMap<>();
    final Map<String, Entry> entries = new HashMap<>();

    Row(String name) {
      this.name = name;
    }

    void append(StringBuilder html, ProxyState.View view, Instant now) {
      boolean served = view.snapshot().get(name).isPresent();
      String nameCell =
          served
              ? "<a href=\"" + Html.pathSegment(name) + "/metrics\">" + Html.escape(name) + "</a>"
              : Html.escape(name);
      Map<String, String> byContainerName = new TreeMap<>();
      results.forEach((id, r) -> byContainerName.put(r.target().containerName() + '\0' + id, id));
      entries.forEach((id, e) -> byContainerName.putIfAbsent(e.containerName() + '\0' + id, id));
      for (Map.Entry<String, String> container : byContainerName.entrySet()) {
        String id = container.getValue();
        String containerName = container.getKey().substring(0, container.getKey().indexOf('\0'));
        ScrapeResult r = results.get(id);
        Entry e = entries.get(id);
        html.append("<tr><td>")
            .append(nameCell)
            .append("</td><td>")
            .append(Html.escape(containerName))
            .append("</td><td>")
            .append(
                r == null
                    ? ""
                    : Html.escape(r.target().host() + r.port().map(p -> ":" + p).orElse("")))
            .append("</td><td>")
            .append(
                e == null ? "never" : Html.duration(Duration.between(e.scrapedAt(), now)) + " ago")
            .append("</td><td>")
            .append(r == null ? "" : Html.duration(r.duration()))
            .append("</td><td>")
            .append(e == null ? "" : Html.size(e.payload().size()))
            .append("</td>");
        if (r == null) {
          html.append("<td>not seen in the last cycle</td></tr>");
        } else if (r.ok()) {
          html.append("<td class=\"ok\">up</td></tr>");
        } else {
          html.append("<td class=\"err\">")
              .append(r.error().get().reason().label())
              .append(": ")
              .append(Html.escape(r.error().get().message()))
              .append("</td></tr>");
        }
      }
    }
  }
}
