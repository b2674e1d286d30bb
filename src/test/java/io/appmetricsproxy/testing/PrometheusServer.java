package io.appmetricsproxy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Debian's real Prometheus, started on a free loopback port with its data in a folder of the test,
 * read through its HTTP API, and stopped by its own pid. Without it the test is skipped, unless
 * CI=true, where it fails.
 */
public final class PrometheusServer implements AutoCloseable {
  public static final Path BINARY = Path.of("/usr/bin/prometheus");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final int port;
  private final Path log;

  private PrometheusServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  public static void require() {
    Prerequisite.require(Files.isExecutable(BINARY), BINARY + " is not installed");
  }

  /**
   * Starts Prometheus with {@code config} (YAML) and exemplar storage; returns once it is ready.
   */
  public static PrometheusServer start(Path dir, String config)
      throws IOException, InterruptedException {
    return start(dir, config, List.of());
  }

  /**
   * As {@link #start(Path, String)}, with more feature flags, e.g. {@code native-histograms} (which
   * makes Prometheus ask for protobuf first).
   */
  public static PrometheusServer start(Path dir, String config, List<String> features)
      throws IOException, InterruptedException {
    require();
    Path file = dir.resolve("prometheus.yml");
    Files.writeString(file, config);
    Path log = dir.resolve("prometheus.log");
    int port = freePort();
    Process process =
        new ProcessBuilder(
                BINARY.toString(),
                "--config.file=" + file,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--enable-feature="
                    + String.join(
                        ",",
                        Stream.concat(Stream.of("exemplar-storage"), features.stream()).toList()),
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    PrometheusServer server = new PrometheusServer(process, port, log);
    try {
      server.awaitReady();
    } catch (IOException | RuntimeException | InterruptedException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("prometheus exited " + process.exitValue() + ": " + log());
      }
      try {
        if (HTTP.send(request("/-/ready"), HttpResponse.BodyHandlers.discarding()).statusCode()
            == 200) {
          return;
        }
      } catch (IOException ignored) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IOException("prometheus not ready within 30 s: " + log());
  }

  /**
   * The {@code data} of an API answer, e.g. {@code api("/api/v1/targets", Map.of())}; fails on an
   * answer that is not a success.
   */
  public JsonNode api(String path, Map<String, String> params)
      throws IOException, InterruptedException {
    String query =
        params.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    HttpResponse<byte[]> response =
        HTTP.send(
            request(path + (query.isEmpty() ? "" : "?" + query)),
            HttpResponse.BodyHandlers.ofByteArray());
    JsonNode answer = JSON.readTree(response.body());
    if (response.statusCode() != 200 || !"success".equals(answer.path("status").asText())) {
      throw new IOException(
          path + " " + params + ": HTTP " + response.statusCode() + " " + answer.toString());
    }
    return answer.path("data");
  }

  /** The parameters of an API call, in order. */
  public static Map<String, String> params(String... keyValues) {
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      params.put(keyValues[i], keyValues[i + 1]);
    }
    return params;
  }

  private HttpRequest request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
        .timeout(Duration.ofSeconds(60))
        .build();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private String log() {
    try {
      String text = Files.readString(log);
      return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Stops this Prometheus (its pid only): SIGTERM, then SIGKILL after 20 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
