package io.appmetricsproxy.store;

import io.appmetricsproxy.exposition.ExpositionParser;
import io.appmetricsproxy.exposition.Format;
import io.appmetricsproxy.exposition.InvalidExpositionException;
import io.appmetricsproxy.exposition.Payload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The on-disk form of an entry: a few "key: value" header lines, a blank line, then the exposition
 * exactly as scraped. One self-describing file per entry, so that a copy of the file is a copy of
 * the entry.
 */
public final class EntryFile {
  static final String MAGIC = "app-metrics-proxy-entry 1";
  private static final String LABEL = "label.";

  private EntryFile() {}

  public static byte[] encode(Entry e) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(e.payload().size() + 256);
    String header =
        MAGIC
            + "\n"
            + "node: "
            + oneLine(e.node())
            + "\n"
            + "container-id: "
            + oneLine(e.containerId())
            + "\n"
            + "container: "
            + oneLine(e.containerName())
            + "\n"
            + "name: "
            + oneLine(e.name())
            + "\n"
            + "scraped-at: "
            + e.scrapedAt()
            + "\n"
            + "format: "
            + e.payload().format().name()
            + "\n"
            + e.address().map(a -> "address: " + oneLine(a) + "\n").orElse("")
            + labels(e)
            + "\n";
    out.write(header.getBytes(StandardCharsets.UTF_8));
    e.payload().writeTo(out);
    return out.toByteArray();
  }

  /**
   * @throws IOException naming what is wrong with the file, which is then not served
   */
  public static Entry decode(byte[] bytes, boolean shared) throws IOException {
    return decode(bytes, shared, Optional.empty());
  }

  /**
   * As {@link #decode(byte[], boolean)}, with the exposition's gzip at hand as a payload keeps it
   * ({@link Payload#withGzip}): a peer's, checked as it was inflated into {@code bytes}.
   *
   * @throws IOException naming what is wrong with the file, which is then not served
   */
  public static Entry decode(byte[] bytes, boolean shared, Optional<byte[]> gzip)
      throws IOException {
    int end = headerEnd(bytes);
    String[] lines = new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n");
    if (lines.length == 0 || !lines[0].equals(MAGIC)) {
      throw new IOException("not an entry file (no \"" + MAGIC + "\" line)");
    }
    Map<String, String> header = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(": ");
      if (colon > 0) {
        header.put(lines[i].substring(0, colon), lines[i].substring(colon + 2));
      }
    }
    try {
      Format format = Format.valueOf(required(header, "format"));
      byte[] body = Arrays.copyOfRange(bytes, end + 2, bytes.length);
      ExpositionParser.parse(body, format);
      Payload payload =
          gzip.isPresent()
              ? Payload.withGzip(body, 0, body.length, format, gzip.get())
              : Payload.of(body, format);
      return new Entry(
          required(header, "node"),
          required(header, "container-id"),
          required(header, "container"),
          required(header, "name"),
          Instant.parse(required(header, "scraped-at")),
          payload,
          shared,
          labels(header),
          Optional.ofNullable(header.get("address")).filter(a -> !a.isEmpty()));
    } catch (IllegalArgumentException | DateTimeParseException | InvalidExpositionException e) {
      throw new IOException("bad entry file: " + e.getMessage(), e);
    }
  }

  /** One {@code label.<key>: <value>} line per label; readers that know none ignore them. */
  private static String labels(Entry e) {
    StringBuilder lines = new StringBuilder();
    e.labels()
        .forEach(
            (k, v) ->
                lines
                    .append(LABEL)
                    .append(oneLine(k))
                    .append(": ")
                    .append(oneLine(v))
                    .append('\n'));
    return lines.toString();
  }

  private static Map<String, String> labels(Map<String, String> header) {
    Map<String, String> labels = new TreeMap<>();
    header.forEach(
        (k, v) -> {
          if (k.startsWith(LABEL) && k.length() > LABEL.length()) {
            labels.put(k.substring(LABEL.length()), v);
          }
        });
    return labels;
  }

  private static int headerEnd(byte[] bytes) throws IOException {
    int length = headerLength(bytes);
    if (length < 0) {
      throw new IOException("not an entry file (no end of header)");
    }
    return length - 2;
  }

  /** The bytes of an entry file's header, its blank line included; -1 where it has none. */
  public static int headerLength(byte[] bytes) {
    for (int i = 0; i + 1 < bytes.length; i++) {
      if (bytes[i] == '\n' && bytes[i + 1] == '\n') {
        return i + 2;
      }
    }
    return -1;
  }

  private static String required(Map<String, String> header, String key) {
    String value = header.get(key);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("missing \"" + key + "\"");
    }
    return value;
  }

  private static String oneLine(String s) {
    return s.replace('\n', ' ').replace('\r', ' ');
  }
}
