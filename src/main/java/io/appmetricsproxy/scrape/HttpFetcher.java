package io.appmetricsproxy.scrape;

import io.appmetricsproxy.config.ScrapeSettings;
import io.appmetricsproxy.discover.Target;
import io.appmetricsproxy.exposition.Payload;
import io.appmetricsproxy.lang.Causes;
import io.appmetricsproxy.lang.Threads;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Fetches one target through a shared HTTP client: its ports in order within one deadline, with a
 * body size cap, and only a valid exposition counts as metrics.
 */
final class HttpFetcher implements AutoCloseable {
  /** Prometheus' own (scrape/scrape.go, scrapeAcceptHeader), so targets answer as to it. */
  static final String ACCEPT =
      "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
          + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

  /**
   * Prometheus 2.42's with native histograms on (scrapeAcceptHeaderWithProtobuf): protobuf first.
   */
  static final String ACCEPT_PROTOBUF =
      "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,"
          + "application/openmetrics-text;version=1.0.0;q=0.8,"
          + "application/openmetrics-text;version=0.0.1;q=0.75,"
          + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(2);

  private final CloseableHttpClient client;
  private final ScheduledExecutorService deadlines;
  private final Duration timeout;
  private final Duration connectTimeout;
  private final long maxBodyBytes;
  private final LargeBodies largeBodies;
  private final String accept;

  HttpFetcher(ScrapeSettings settings) {
    this(
        settings.timeout(),
        settings.maxBodyBytes(),
        settings.concurrency(),
        LargeBodies.forHeap(
            Runtime.getRuntime().maxMemory(), settings.maxBodyBytes(), settings.concurrency()),
        settings.nativeHistograms());
  }

  HttpFetcher(Duration timeout, long maxBodyBytes, int concurrency, LargeBodies largeBodies) {
    this(timeout, maxBodyBytes, concurrency, largeBodies, true);
  }

  HttpFetcher(
      Duration timeout,
      long maxBodyBytes,
      int concurrency,
      LargeBodies largeBodies,
      boolean nativeHistograms) {
    this.accept = nativeHistograms ? ACCEPT_PROTOBUF : ACCEPT;
    this.timeout = timeout;
    this.maxBodyBytes = maxBodyBytes;
    this.largeBodies = largeBodies;
    Duration connect = timeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? timeout : MAX_CONNECT_TIMEOUT;
    this.connectTimeout = connect;
    this.client =
        HttpClients.custom()
            .setConnectionManager(
                PoolingHttpClientConnectionManagerBuilder.create()
                    .setMaxConnTotal(concurrency * 2)
                    .setMaxConnPerRoute(2)
                    .setDefaultConnectionConfig(
                        ConnectionConfig.custom()
                            .setConnectTimeout(Timeout.of(connect))
                            .setSocketTimeout(Timeout.of(timeout))
                            .build())
                    .build())
            .setRetryStrategy(new OnceOnAClosedConnection())
            .disableCookieManagement()
            .disableAuthCaching()
            .setUserAgent("app-metrics-proxy")
            .evictIdleConnections(TimeValue.ofMinutes(1))
            .evictExpiredConnections()
            .build();
    this.deadlines = Executors.newSingleThreadScheduledExecutor(Threads.numbered("amp-deadline-"));
  }

  ScrapeResult fetch(Target target) {
    return fetch(target, Optional.empty(), Optional.empty());
  }

  /**
   * The first of the target's ports that gives metrics, within one scrape timeout. The port that
   * {@code answered} last time is asked first and alone; when there is none, or it fails, the other
   * ports are probed all at once and asked in order, so that ports nothing listens on cost one
   * connect wait, not one each. A body unchanged since {@code last} is {@code last}.
   */
  ScrapeResult fetch(Target target, Optional<Integer> answered, Optional<Payload> last) {
    Instant startedAt = Instant.now();
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    List<ScrapeError> failures = new ArrayList<>();
    List<Integer> others = new ArrayList<>(target.ports());
    if (answered.isPresent() && others.remove(answered.get())) {
      Optional<Payload> payload = attempt(target, answered.get(), deadline, last, failures);
      if (payload.isPresent()) {
        return new ScrapeResult.Success(
            target, startedAt, since(start), answered.get(), payload.get());
      }
    }
    Map<Integer, Optional<ScrapeError>> reachable = reachable(target, others, deadline);
    for (int port : others) {
      Optional<ScrapeError> unreachable = reachable.getOrDefault(port, Optional.empty());
      if (unreachable.isPresent()) {
        failures.add(
            new ScrapeError(unreachable.get().reason(), port + ": " + unreachable.get().message()));
        continue;
      }
      if (System.nanoTime() >= deadline) {
        failures.add(
            new ScrapeError(
                ScrapeError.Reason.TIMEOUT,
                port + ": not tried, scrape timeout of " + seconds(timeout) + " reached"));
        break;
      }
      Optional<Payload> payload = attempt(target, port, deadline, last, failures);
      if (payload.isPresent()) {
        return new ScrapeResult.Success(target, startedAt, since(start), port, payload.get());
      }
    }
    return new ScrapeResult.Failure(target, startedAt, since(start), summarize(failures));
  }

  /** One port's payload, or empty with why added to {@code failures}. */
  private Optional<Payload> attempt(
      Target target, int port, long deadline, Optional<Payload> last, List<ScrapeError> failures) {
    Duration remaining = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1));
    try {
      return Optional.of(get(target, port, remaining, last));
    } catch (ScrapeFailure e) {
      failures.add(new ScrapeError(e.reason, port + ": " + e.getMessage()));
      return Optional.empty();
    }
  }

  /**
   * Which of {@code ports} accept a connection, probed at once; with a single port, its request is
   * the probe.
   */
  private Map<Integer, Optional<ScrapeError>> reachable(
      Target target, List<Integer> ports, long deadline) {
    if (ports.size() < 2) {
      return Map.of();
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(target.host());
    } catch (UnknownHostException e) {
      return Map.of(); // each request says so
    }
    long left = Math.min(connectTimeout.toNanos(), deadline - System.nanoTime());
    return PortProbe.probe(address, ports, Duration.ofNanos(Math.max(left, 0)), noConnect());
  }

  private Payload get(Target target, int port, Duration budget, Optional<Payload> last)
      throws ScrapeFailure {
    HttpGet request = new HttpGet("http://" + hostPart(target.host()) + ":" + port + target.path());
    request.setHeader(HttpHeaders.ACCEPT, accept);
    request.setConfig(
        RequestConfig.custom()
            .setConnectionRequestTimeout(Timeout.of(budget))
            .setResponseTimeout(Timeout.of(budget))
            .setRedirectsEnabled(false)
            .build());
    long deadline = System.nanoTime() + budget.toNanos();
    ScheduledFuture<?> alarm =
        deadlines.schedule(request::cancel, budget.toNanos(), TimeUnit.NANOSECONDS);
    try (LargeBodies.Claim claim = largeBodies.claim()) {
      return client.execute(request, response -> read(request, response, claim, deadline, last));
    } catch (ScrapeFailure e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw translate(e, request.isCancelled());
    } finally {
      alarm.cancel(false);
    }
  }

  /** The body as a payload, made while {@code claim} holds a slot if the body is large. */
  private Payload read(
      HttpGet request,
      ClassicHttpResponse response,
      LargeBodies.Claim claim,
      long deadline,
      Optional<Payload> last)
      throws IOException {
    if (response.getCode() != 200) {
      request.cancel();
      throw new ScrapeFailure(
          ScrapeError.Reason.HTTP_STATUS,
          "HTTP "
              + response.getCode()
              + (response.getReasonPhrase() == null ? "" : " " + response.getReasonPhrase()));
    }
    HttpEntity entity = response.getEntity();
    Header contentType = response.getFirstHeader(HttpHeaders.CONTENT_TYPE);
    byte[] body =
        entity == null
            ? new byte[0]
            : LimitedBody.read(entity, maxBodyBytes, request, claim, deadline);
    BodyCheck.Verdict verdict =
        BodyCheck.check(body, contentType == null ? null : contentType.getValue(), last);
    if (verdict.error().isPresent()) {
      ScrapeError error = verdict.error().get();
      throw new ScrapeFailure(error.reason(), error.message());
    }
    return verdict.payload().get();
  }

  private ScrapeFailure translate(Exception e, boolean cancelled) {
    if (cancelled || e instanceof SocketTimeoutException || e instanceof ConnectTimeoutException) {
      String what = e instanceof ConnectTimeoutException ? "connect" : "response";
      return new ScrapeFailure(
          ScrapeError.Reason.TIMEOUT,
          "no " + what + " within the scrape timeout of " + seconds(timeout));
    }
    if (e instanceof InterruptedIOException) {
      return new ScrapeFailure(ScrapeError.Reason.TIMEOUT, "interrupted: " + message(e));
    }
    ScrapeError error = unreachable(e);
    return new ScrapeFailure(error.reason(), error.message());
  }

  /** A connection refused or without route ({@code CONNECT}), or another I/O error ({@code IO}). */
  static ScrapeError unreachable(Exception e) {
    return new ScrapeError(
        e instanceof ConnectException || e instanceof NoRouteToHostException
            ? ScrapeError.Reason.CONNECT
            : ScrapeError.Reason.IO,
        message(e));
  }

  /** No connection within the scrape timeout, in the words of a request that timed out so. */
  private ScrapeError noConnect() {
    return new ScrapeError(
        ScrapeError.Reason.TIMEOUT, "no connect within the scrape timeout of " + seconds(timeout));
  }

  /** The most telling failure names the reason; the message lists every port's. */
  private static ScrapeError summarize(List<ScrapeError> failures) {
    ScrapeError.Reason reason =
        failures.stream()
            .map(ScrapeError::reason)
            .max(Comparator.naturalOrder())
            .orElse(ScrapeError.Reason.CONNECT);
    String message =
        failures.isEmpty()
            ? "no port to try"
            : String.join("; ", failures.stream().map(ScrapeError::message).toList());
    return new ScrapeError(reason, message);
  }

  /** "connection refused", "No route to host": the cause without the client's framing. */
  private static String message(Throwable e) {
    Throwable root = Causes.innermost(e);
    String m = root.getMessage() != null ? root.getMessage() : e.getMessage();
    if (m == null) {
      return e.getClass().getSimpleName();
    }
    int failed = m.lastIndexOf("failed: ");
    m = failed >= 0 ? m.substring(failed + "failed: ".length()) : m;
    return m.equalsIgnoreCase("connection refused") ? "connection refused" : m;
  }

  private static String hostPart(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() / 1000.0 + "s";
  }

  @Override
  public void close() {
    deadlines.shutdownNow();
    client.close(CloseMode.IMMEDIATE);
  }

  /** A port that gave no metrics, carried out of the response handler. */
  static final class ScrapeFailure extends IOException {
    final ScrapeError.Reason reason;

    ScrapeFailure(ScrapeError.Reason reason, String message) {
      super(message);
      this.reason = reason;
    }
  }

  /**
   * Asks once more, on another connection, when a kept-alive connection gave no response at all:
   * the target closed it while idle as the request went out (servers close idle connections on
   * their own timers and limits). Prometheus' HTTP client does the same for a GET on a reused
   * connection that gave nothing back, so such a target is up for it; nothing else is retried (no
   * status code, no timeout, no refused connect), and the scrape's deadline covers both tries.
   */
  static final class OnceOnAClosedConnection implements HttpRequestRetryStrategy {
    @Override
    public boolean retryRequest(
        HttpRequest request, IOException exception, int execCount, HttpContext context) {
      return execCount == 1
          && exception instanceof NoHttpResponseException
          && Method.GET.isSame(request.getMethod());
    }

    @Override
    public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
      return false;
    }

    @Override
    public TimeValue getRetryInterval(HttpResponse response, int execCount, HttpContext context) {
      return TimeValue.ZERO_MILLISECONDS;
    }
  }
}
