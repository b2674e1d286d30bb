package io.appmetricsproxy.scrape;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.HttpEntity;

/**
 * Reads a response body, decompressed, up to a cap; a longer body aborts the exchange. A body that
 * grows past {@link LargeBodies#THRESHOLD} first takes a large-body slot of {@code claim}.
 */
final class LimitedBody {
  private LimitedBody() {}

  static byte[] read(
      HttpEntity entity,
      long maxBytes,
      HttpUriRequestBase request,
      LargeBodies.Claim claim,
      long deadlineNanos)
      throws IOException {
    long declared = entity.getContentLength();
    if (declared > maxBytes) {
      request.cancel();
      throw tooLarge(maxBytes);
    }
    int initial =
        (int) Math.min(Math.max(declared, 8192), Math.min(maxBytes + 1, LargeBodies.THRESHOLD));
    byte[] buffer = new byte[initial];
    int length = 0;
    try (InputStream in = entity.getContent()) {
      while (true) {
        if (length == buffer.length) {
          if (length > maxBytes) {
            request.cancel();
            throw tooLarge(maxBytes);
          }
          if (buffer.length >= LargeBodies.THRESHOLD) {
            claim.acquire(deadlineNanos);
          }
          buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, maxBytes + 1));
        }
        int n = in.read(buffer, length, buffer.length - length);
        if (n < 0) {
          break;
        }
        length += n;
        if (length > maxBytes) {
          request.cancel();
          throw tooLarge(maxBytes);
        }
      }
    }
    return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
  }

  private static HttpFetcher.ScrapeFailure tooLarge(long maxBytes) {
    return new HttpFetcher.ScrapeFailure(
        ScrapeError.Reason.TOO_LARGE, "body larger than MAX_BODY_SIZE (" + maxBytes + " bytes)");
  }
}
