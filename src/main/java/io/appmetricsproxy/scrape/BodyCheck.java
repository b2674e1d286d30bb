package io.appmetricsproxy.scrape;

import io.appmetricsproxy.exposition.ExpositionParser;
import io.appmetricsproxy.exposition.Format;
import io.appmetricsproxy.exposition.InvalidExpositionException;
import io.appmetricsproxy.exposition.Payload;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The check a scraped body of an HTTP 200 goes through before it is stored: the payload to keep, or
 * why the body is refused.
 */
public final class BodyCheck {

  /** The payload to store, or the error to record instead; exactly one is present. */
  public record Verdict(Optional<Payload> payload, Optional<ScrapeError> error) {

    public Verdict {
      Objects.requireNonNull(payload);
      Objects.requireNonNull(error);
      if (payload.isPresent() == error.isPresent()) {
        throw new IllegalArgumentException("a verdict has either a payload or an error");
      }
    }

    public boolean accepted() {
      return payload.isPresent();
    }
  }

  private BodyCheck() {}

  /**
   * Checks a body served with this Content-Type header value (null: no header) as Prometheus'
   * scrape would: refused where Prometheus fails the scrape, with its reason, and where the body is
   * empty (no byte at all); kept otherwise, a text body with its final newline added, a protobuf
   * one (Content-Type application/vnd.google.protobuf) byte for byte.
   */
  public static Verdict check(byte[] body, String contentType) {
    return check(body, contentType, Optional.empty());
  }

  /**
   * As {@link #check(byte[], String)}; a body with the very bytes and format of {@code last} (the
   * target's previous payload, checked then) is accepted as {@code last} itself, neither parsed nor
   * compressed again.
   */
  public static Verdict check(byte[] body, String contentType, Optional<Payload> last) {
    Objects.requireNonNull(body, "body");
    Format format = Format.ofContentType(contentType);
    if (body.length == 0) {
      return refused(ScrapeError.Reason.EMPTY, "HTTP 200 with an empty body");
    }
    byte[] kept = body;
    if (format == Format.TEXT && body[body.length - 1] != '\n') {
      kept = Arrays.copyOf(body, body.length + 1);
      kept[body.length] = '\n';
    }
    if (last.isPresent() && last.get().hasBytes(kept, format)) {
      return new Verdict(last, Optional.empty());
    }
    try {
      ExpositionParser.parse(body, format);
    } catch (InvalidExpositionException e) {
      return refused(
          ScrapeError.Reason.INVALID,
          "HTTP 200 but not "
              + switch (format) {
                case TEXT -> "Prometheus text";
                case OPENMETRICS -> "OpenMetrics";
                case PROTOBUF -> "Prometheus protobuf";
              }
              + " ("
              + e.getMessage()
              + ")");
    }
    return new Verdict(Optional.of(Payload.of(kept, format)), Optional.empty());
  }

  private static Verdict refused(ScrapeError.Reason reason, String message) {
    return new Verdict(Optional.empty(), Optional.of(new ScrapeError(reason, message)));
  }
}
