package io.appmetricsproxy.serve;

import io.appmetricsproxy.exposition.Format;
import io.appmetricsproxy.exposition.Payload;
import io.appmetricsproxy.scrape.ScrapeResult;
import io.appmetricsproxy.status.CycleReport;
import io.appmetricsproxy.status.ProxyState;
import io.appmetricsproxy.status.Served;
import io.appmetricsproxy.status.Snapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code /<name>/metrics} answers to a request's query and headers, from memory: a lookup, no
 * copy, no compression (done once per scrape); shared by the JAX-RS resource and the servlet fast
 * path.
 *
 * @param headers besides Content-Type and Content-Length
 */
record MetricsAnswer(
    int status, String contentType, Map<String, String> headers, int length, Body body) {
  private static final Payload EMPTY_TEXT = Payload.of(new byte[0], Format.TEXT);
  private static final Payload EMPTY_OPENMETRICS =
      Payload.of("# EOF\n".getBytes(StandardCharsets.UTF_8), Format.OPENMETRICS);
  private static final Payload EMPTY_PROTOBUF = Payload.of(new byte[0], Format.PROTOBUF);

  /** Ends the ETag of one container's answer: never that of its name, even of one container. */
  private static final String CONTAINER_TAG = "-container";

  /** The bytes of an answer, written straight from the payload or its gzip form. */
  interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * The answer to {@code GET /<name>/metrics?<query>}: 400 for a bad query, else the name's
   * metrics, all held, this node's alone or one container's.
   *
   * @param query the raw query string, null for none (see {@link MetricsQuery})
   */
  static MetricsAnswer of(
      ProxyState.View view,
      String name,
      String query,
      String accept,
      String acceptEncoding,
      String ifNoneMatch,
      String ifModifiedSince) {
    MetricsQuery q;
    try {
      q = MetricsQuery.parse(query);
    } catch (IllegalArgumentException e) {
      return text(400, e.getMessage() + "\n");
    }
    Wanted wanted =
        new Wanted(
            Negotiation.format(accept),
            Negotiation.textFormat(accept),
            Negotiation.gzip(acceptEncoding),
            ifNoneMatch,
            ifModifiedSince);
    Snapshot snapshot = view.snapshot();
    Optional<String> node = view.lastCycle().flatMap(CycleReport::node);
    if (q.container().isPresent()) {
      return container(view, name, q.container().get(), node, q.local(), wanted);
    }
    Optional<Served> served = q.local() ? snapshot.ofNode(name, node) : snapshot.get(name);
    if (served.isPresent()) {
      return wanted.answer(wanted.of(served.get()), served.get().lastModified(), "");
    }
    if (q.local() && (snapshot.get(name).isPresent() || snapshot.expired(name).isPresent())) {
      // known here, scraped elsewhere or too old: nothing of this node's, a valid empty exposition
      Payload empty =
          switch (wanted.format) {
            case PROTOBUF -> EMPTY_PROTOBUF;
            case OPENMETRICS -> EMPTY_OPENMETRICS;
            case TEXT -> EMPTY_TEXT;
          };
      return wanted.answer(empty, null, "");
    }
    return text(404, notServed(snapshot, name));
  }

  /**
   * One container alone ({@code local}: only if this node, {@code node}, scraped it); 503 where
   * this node's last scrape of it failed, as if the client had scraped it itself.
   */
  private static MetricsAnswer container(
      ProxyState.View view,
      String name,
      String container,
      Optional<String> node,
      boolean local,
      Wanted wanted) {
    Optional<ScrapeResult.Failure> failed =
        view.lastCycle().flatMap(c -> c.failure(name, container));
    if (failed.isPresent()) {
      ScrapeResult.Failure f = failed.get();
      return text(
          503,
          "the last scrape of container "
              + MetricsQuery.quoted(container)
              + " of "
              + MetricsQuery.quoted(name)
              + " failed at "
              + f.startedAt().truncatedTo(ChronoUnit.SECONDS)
              + ": "
              + f.error().reason().label()
              + ": "
              + MetricsQuery.oneLine(f.error().message())
              + "\n");
    }
    return view.snapshot()
        .ofContainer(name, container, node, local)
        .map(s -> wanted.answer(wanted.of(s), s.lastModified(), CONTAINER_TAG))
        .orElseGet(
            () ->
                text(
                    404,
                    "no metrics for container "
                        + MetricsQuery.quoted(container)
                        + " of "
                        + MetricsQuery.quoted(name)
                        + (local ? " scraped" : "")
                        + " on this node\n"));
  }

  /**
   * What the client asked for: the format, the text format it takes best where the metrics are not
   * protobuf, gzip, and its copy's validators.
   */
  private record Wanted(
      Format format, Format textual, boolean gzip, String ifNoneMatch, String ifModifiedSince) {

    /** The name's (or container's) metrics in the richest format the client takes. */
    Payload of(Served served) {
      boolean protobuf = format == Format.PROTOBUF;
      return served.payload(
          protobuf && served.payload().format() != Format.PROTOBUF ? textual : format);
    }

    /** {@code payload} (scraped last at {@code lastModified}, null for never), or a 304. */
    MetricsAnswer answer(Payload payload, Instant lastModified, String tag) {
      String etag = "\"" + payload.digest() + tag + (gzip ? "-gz" : "") + "\"";
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("ETag", etag);
      if (lastModified != null) {
        headers.put("Last-Modified", Conditional.httpDate(lastModified));
      }
      headers.put("Vary", "Accept, Accept-Encoding");
      if (Conditional.notModified(ifNoneMatch, ifModifiedSince, etag, lastModified)) {
        return new MetricsAnswer(304, null, headers, -1, out -> {});
      }
      String type = payload.format().contentType();
      if (gzip) {
        byte[] compressed = payload.gzip();
        headers.put("Content-Encoding", "gzip");
        return new MetricsAnswer(
            200, type, headers, compressed.length, out -> out.write(compressed));
      }
      return new MetricsAnswer(200, type, headers, payload.size(), payload::writeTo);
    }
  }

  private static MetricsAnswer text(int status, String line) {
    byte[] text = line.getBytes(StandardCharsets.UTF_8);
    return new MetricsAnswer(
        status, "text/plain; charset=utf-8", Map.of(), text.length, out -> out.write(text));
  }

  /** The one line of a 404: never seen, or seen but too old to serve. */
  private static String notServed(Snapshot snapshot, String name) {
    String unknown = "no metrics for " + MetricsQuery.quoted(name) + " on this node";
    return snapshot
            .expired(name)
            .map(
                at ->
                    unknown
                        + " within MAX_AGE ("
                        + snapshot.maxAge().orElseThrow().toSeconds()
                        + " s): its last good scrape is from "
                        + at.truncatedTo(ChronoUnit.SECONDS))
            .orElse(unknown)
        + "\n";
  }
}
