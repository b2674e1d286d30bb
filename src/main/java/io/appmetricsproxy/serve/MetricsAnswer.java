package io.appmetricsproxy.serve;

import io.appmetricsproxy.exposition.Format;
import io.appmetricsproxy.exposition.Payload;
import io.appmetricsproxy.status.Served;
import io.appmetricsproxy.status.Snapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code /<name>/metrics} answers to a request's headers, from memory: a lookup, no copy, no
 * compression (done once per scrape); shared by the JAX-RS resource and the servlet fast path.
 *
 * @param headers besides Content-Type and Content-Length
 */
record MetricsAnswer(
    int status, String contentType, Map<String, String> headers, int length, Body body) {

  /** The bytes of an answer, written straight from the payload or its gzip form. */
  interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  static MetricsAnswer of(
      Snapshot snapshot,
      String name,
      String accept,
      String acceptEncoding,
      String ifNoneMatch,
      String ifModifiedSince) {
    Optional<Served> served = snapshot.get(name);
    if (served.isEmpty()) {
      byte[] text = notServed(snapshot, name).getBytes(StandardCharsets.UTF_8);
      return new MetricsAnswer(
          404, "text/plain; charset=utf-8", Map.of(), text.length, out -> out.write(text));
    }
    Format format = Negotiation.format(accept);
    Payload payload = served.get().payload(format);
    boolean gzip = Negotiation.gzip(acceptEncoding);
    String etag = "\"" + payload.digest() + (gzip ? "-gz" : "") + "\"";
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("ETag", etag);
    headers.put("Last-Modified", Conditional.httpDate(served.get().lastModified()));
    headers.put("Vary", "Accept, Accept-Encoding");
    if (Conditional.notModified(ifNoneMatch, ifModifiedSince, etag, served.get().lastModified())) {
      return new MetricsAnswer(304, null, headers, -1, out -> {});
    }
    String type = payload.format().contentType();
    if (gzip) {
      byte[] compressed = payload.gzip();
      headers.put("Content-Encoding", "gzip");
      return new MetricsAnswer(200, type, headers, compressed.length, out -> out.write(compressed));
    }
    return new MetricsAnswer(200, type, headers, payload.size(), payload::writeTo);
  }

  /** The one line of a 404: never seen, or seen but too old to serve. */
  private static String notServed(Snapshot snapshot, String name) {
    String unknown = "no metrics for \"" + name + "\" on this node";
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
