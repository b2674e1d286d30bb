package io.appmetricsproxy.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

/**
 * Deploys the built WAR as ROOT.war into the stock Tomcat distribution configured by
 * tomcat/server.xml, as users do, and checks how the webapp starts in it.
 */
class TomcatDistributionIT {
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * No Docker engine behind DOCKER_HOST: the app starts anyway and reports on itself. The operator
   * raised the heap with JAVA_OPTS.
   */
  @Nested
  @TestInstance(Lifecycle.PER_CLASS)
  class DockerEngineDown {
    private TomcatProcess tomcat;

    @BeforeAll
    void start() throws Exception {
      tomcat = launch(Map.of("DOCKER_HOST", "unix:///nonexistent.sock", "JAVA_OPTS", "-Xmx320m"));
      tomcat.awaitStarted(http, STARTUP_TIMEOUT);
    }

    @AfterAll
    void stop() throws Exception {
      if (tomcat != null) {
        tomcat.close();
      }
    }

    @Test
    void isHealthy() throws Exception {
      assertThat(get(tomcat, "/-/healthy").statusCode()).as(tomcat::log).isEqualTo(200);
    }

    @Test
    void servesTheIndexPage() throws Exception {
      HttpResponse<String> response = get(tomcat, "/");

      assertThat(response.statusCode()).as(tomcat::log).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    }

    @Test
    void servesItsOwnMetrics() throws Exception {
      HttpResponse<String> response = get(tomcat, "/metrics");

      assertThat(response.statusCode()).as(tomcat::log).isEqualTo(200);
      assertThat(response.body()).contains("app_metrics_proxy_");
    }

    /** tomcat/setenv.sh: the serial collector; the operator's -Xmx wins over its heap cap. */
    @Test
    void runsWithTheJvmOptionsOfSetenvAndTheOperatorsOwn() throws Exception {
      String metrics = get(tomcat, "/metrics").body();

      assertThat(metrics).as("the serial collector's old generation").contains("MarkSweepCompact");
      double heapMax = value(metrics, "jvm_memory_max_bytes{area=\"heap\"}");
      assertThat(heapMax / (1 << 20))
          .as("heap max in MiB: the operator's -Xmx320m, not setenv's -Xmx256m")
          .isBetween(280.0, 320.0);
    }
  }

  private static double value(String metrics, String series) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(series + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(series + " not in:\n" + metrics));
  }

  /** A bad setting stops the webapp, not Tomcat, and the log says which setting and why. */
  @Nested
  @TestInstance(Lifecycle.PER_CLASS)
  class BadScrapeInterval {
    private TomcatProcess tomcat;

    @BeforeAll
    void start() throws Exception {
      tomcat = launch(Map.of("DOCKER_HOST", "unix:///nonexistent.sock", "SCRAPE_INTERVAL", "ten"));
      tomcat.awaitStarted(http, STARTUP_TIMEOUT);
    }

    @AfterAll
    void stop() throws Exception {
      if (tomcat != null) {
        tomcat.close();
      }
    }

    @Test
    void leavesTheContextUnavailable() throws Exception {
      assertThat(get(tomcat, "/-/healthy").statusCode()).as(tomcat::log).isEqualTo(404);
    }

    @Test
    void logsTheSettingTheExpectationAndTheValue() {
      assertThat(tomcat.log())
          .contains("SCRAPE_INTERVAL: expected a whole number of seconds > 0, found \"ten\"");
    }
  }

  private static TomcatProcess launch(Map<String, String> appEnv) throws IOException {
    return TomcatProcess.launch(
        Path.of(System.getProperty("tomcat.home")),
        Path.of("tomcat/server.xml"),
        Path.of("tomcat/setenv.sh"),
        Path.of(System.getProperty("war.file")),
        appEnv);
  }

  private static HttpResponse<String> get(TomcatProcess tomcat, String path)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(tomcat.uri(path)).timeout(Duration.ofSeconds(10)).build();
    return http.send(request, BodyHandlers.ofString());
  }
}
