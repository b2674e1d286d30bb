package io.appmetricsproxy.serve;

import java.time.Instant;

/** The index's "Peers" section: this node's replication and each peer's last exchange. */
final class PeersSection {
  private PeersSection() {}

  /** Nothing where replication does not run. */
  static void append(StringBuilder html, ApiModel.Peers peers, Instant now) {
    if (peers.lastRound() == null) {
      return;
    }
    html.append("<h2 id=\"peers\">Peers</h2><p id=\"replication\">This node: role <b>")
        .append(Html.escape(peers.role()))
        .append("</b>, ")
        .append(peers.drives() ? "opens the exchanges" : "answers its peers");
    if (peers.port() != null) {
      html.append(" · replication port <b>").append(peers.port()).append("</b>");
    }
    if (peers.hostKey() != null) {
      html.append(" · host key <code>").append(Html.escape(peers.hostKey())).append("</code>");
    }
    html.append(" · last round ")
        .append(Html.age(Instant.parse(peers.lastRound()), now))
        .append("</p><div class=\"scroll\"><table class=\"sortable\" id=\"peer-table\">")
        .append("<thead><tr><th>Peer</th><th>Address</th><th>Role</th><th>Last exchange</th>")
        .append("<th>Duration</th><th>Sent</th><th>Received</th><th>Entries sent</th>")
        .append("<th>Entries received</th><th>Deleted</th><th>Status</th></tr></thead><tbody>");
    for (ApiModel.Peer p : peers.peers()) {
      row(html, p, now);
    }
    if (peers.peers().isEmpty()) {
      html.append("<tr><td colspan=\"11\" class=\"muted\">No peers found.</td></tr>");
    }
    html.append("</tbody></table></div>");
  }

  private static void row(StringBuilder html, ApiModel.Peer p, Instant now) {
    html.append(p.up() ? "<tr><td>" : "<tr class=\"failing\"><td>")
        .append(Html.escape(p.name()))
        .append("</td><td>")
        .append(Html.escape(p.address()))
        .append("</td><td>")
        .append(Html.escape(p.role()))
        .append("</td>");
    Instant success = p.lastSuccess() == null ? null : Instant.parse(p.lastSuccess());
    Html.numberCell(
        html,
        success == null ? null : (now.toEpochMilli() - success.toEpochMilli()) / 1e3,
        success == null ? "never" : Html.age(success, now));
    Html.numberCell(html, p.durationSeconds(), Html.duration(Html.seconds(p.durationSeconds())));
    Html.numberCell(html, (double) p.bytesSent(), Html.size(p.bytesSent()));
    Html.numberCell(html, (double) p.bytesReceived(), Html.size(p.bytesReceived()));
    Html.numberCell(html, (double) p.entriesSent(), Integer.toString(p.entriesSent()));
    Html.numberCell(html, (double) p.entriesReceived(), Integer.toString(p.entriesReceived()));
    Html.numberCell(html, (double) p.deleted(), Integer.toString(p.deleted()));
    html.append(
            p.up()
                ? "<td class=\"status ok\">ok"
                : "<td class=\"status err\">" + Html.escape(p.error() == null ? "" : p.error()))
        .append("</td></tr>");
  }
}
