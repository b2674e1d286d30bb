package io.appmetricsproxy.app;

import io.appmetricsproxy.testing.Folders;
import io.appmetricsproxy.testing.Promtool;
import io.appmetricsproxy.testing.TestContainers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load: the WAR in an embedded Tomcat, cycling every 2 s over N real containers, while {@code wrk}
 * holds C connections on their /{name}/metrics for D seconds; meanwhile every name's body is
 * fetched again and again and checked by promtool. {@code LoadIT} runs it in the test suite;
 * bench/load.sh runs {@link #main} for the figures.
 */
public final class LoadBench {
  private LoadBench() {}

  /**
   * What one run gave.
   *
   * @param wrk wrk's report ({@code --latency})
   * @param checked bodies fetched and checked by promtool during the load
   * @param bad of those, not {@code 200} or not valid
   * @param ownMetrics the proxy's own metrics after the load
   */
  record Result(String wrk, int checked, int bad, String ownMetrics) {}

  public static void main(String[] args) throws Exception {
    Result r =
        run(
            args.length > 0 ? Integer.parseInt(args[0]) : 110,
            args.length > 1 ? Integer.parseInt(args[1]) : 1000,
            args.length > 2 ? Integer.parseInt(args[2]) : 60);
    System.out.println(r.wrk());
    System.out.printf(
        "bodies checked by promtool during the load: %d, bad: %d%n", r.checked(), r.bad());
    r.ownMetrics()
        .lines()
        .filter(
            l ->
                l.startsWith("app_metrics_proxy_cycle")
                    || l.startsWith("app_metrics_proxy_targets"))
        .forEach(System.out::println);
  }

  static Result run(int targets, int connections, int seconds) throws Exception {
    Path base = Folders.deletedAtExit("amp-load");
    try (TestContainers containers = new TestContainers()) {
      String run = containers.runId().substring(0, 8);
      List<String> names = new ArrayList<>();
      long started = System.nanoTime();
      for (int i = 0; i < targets; i++) {
        String name = "load-" + run + "-" + i;
        StringBuilder body = new StringBuilder("# TYPE app_requests_total counter\n");
        for (int s = 0; s < 50; s++) {
          body.append("app_requests_total{code=\"")
              .append(200 + s)
              .append("\"} ")
              .append(i * s)
              .append('\n');
        }
        containers.metrics(name, 8080, body.toString(), containers.labels());
        names.add(name);
      }
      System.out.printf(
          "%d containers started in %d s%n",
          targets, (System.nanoTime() - started) / 1_000_000_000L);

      try (EmbeddedWebapp webapp =
          EmbeddedWebapp.start(
              base,
              10000,
              Map.of(
                  "DOCKER_HOST",
                  containers.engine().dockerHost(),
                  "SCRAPE_INTERVAL",
                  "2",
                  "STORE_DIR",
                  base.resolve("store").toString()))) {
        String root = webapp.root();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!get(http, root + "/api/targets").contains("\"up\":" + targets + ",")) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "not all targets up: " + get(http, root + "/api/targets"));
          }
          Thread.sleep(500);
        }

        Path script = base.resolve("names.lua");
        StringBuilder lua = new StringBuilder("local names = {");
        for (String n : names) {
          lua.append('"').append(n).append("\",");
        }
        lua.append("}\nlocal i = 0\nrequest = function()\n  i = i + 1\n")
            .append(
                "  return wrk.format(\"GET\", \"/\" .. names[(i % #names) + 1] .. \"/metrics\")\nend\n");
        Files.writeString(script, lua.toString());

        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicInteger checked = new AtomicInteger();
        AtomicInteger bad = new AtomicInteger();
        Thread checker =
            new Thread(
                () -> {
                  while (loading.get()) {
                    for (String n : names) {
                      try {
                        HttpResponse<byte[]> r =
                            http.send(
                                HttpRequest.newBuilder(URI.create(root + "/" + n + "/metrics"))
                                    .build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200) {
                          bad.incrementAndGet();
                        } else {
                          Promtool.assertParses(n, r.body());
                        }
                        checked.incrementAndGet();
                      } catch (Exception | AssertionError e) {
                        bad.incrementAndGet();
                        System.out.println("bad body of " + n + ": " + e);
                      }
                      if (!loading.get()) {
                        return;
                      }
                    }
                  }
                },
                "checker");
        checker.start();
        Process wrk =
            new ProcessBuilder(
                    "wrk",
                    "-t",
                    "4",
                    "-c",
                    Integer.toString(connections),
                    "-d",
                    seconds + "s",
                    "--timeout",
                    "10s",
                    "--latency",
                    "-s",
                    script.toString(),
                    root + "/")
                .redirectErrorStream(true)
                .start();
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        wrk.waitFor();
        loading.set(false);
        checker.join();
        return new Result(out, checked.get(), bad.get(), get(http, root + "/metrics"));
      }
    }
  }

  private static String get(HttpClient http, String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
