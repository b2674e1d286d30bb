package io.appmetricsproxy.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.testing.Prerequisite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 6's load class: while cycles run over 110 containers, 1,000 concurrent connections on their
 * {@code /<name>/metrics} for 60 s give no error, and every body checked meanwhile is valid. The
 * figures are printed (docs/reliability.md, "Load"); none is asserted but errors and validity.
 */
class LoadIT {
  private static final int TARGETS = 110;
  private static final int CONNECTIONS = 1000;
  private static final int SECONDS = 60;

  @Test
  void aThousandConnectionsForAMinuteWhileCyclesRunGiveNoErrorAndOnlyValidBodies()
      throws Exception {
    Prerequisite.require(
        Files.isExecutable(Path.of("/usr/bin/wrk")), "wrk is not installed (Debian package wrk)");

    LoadBench.Result r = LoadBench.run(TARGETS, CONNECTIONS, SECONDS);
    System.err.println("[load] " + r.wrk());
    System.err.printf("[load] bodies checked by promtool: %d, bad: %d%n", r.checked(), r.bad());

    assertThat(r.wrk()).as("wrk's report").contains("Latency Distribution");
    assertThat(r.wrk())
        .as("connect, read, write or timeout errors")
        .doesNotContain("Socket errors");
    assertThat(r.wrk()).as("answers other than 2xx or 3xx").doesNotContain("Non-2xx");
    assertThat(requests(r.wrk())).as("requests served").isGreaterThan(CONNECTIONS);
    assertThat(r.checked()).as("bodies checked by promtool during the load").isPositive();
    assertThat(r.bad()).as("bodies not 200 or not valid").isZero();
    assertThat(value(r.ownMetrics(), "app_metrics_proxy_cycles_total"))
        .as("cycles went on every 2 s under the load")
        .isGreaterThanOrEqualTo(SECONDS / 2 / 2);
    assertThat(value(r.ownMetrics(), "app_metrics_proxy_target_up"))
        .as("targets up after the load")
        .isGreaterThanOrEqualTo(TARGETS);
  }

  private static long requests(String wrk) {
    Matcher m = Pattern.compile("(\\d+) requests in").matcher(wrk);
    assertThat(m.find()).as("a request count in:%n%s", wrk).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static double value(String metrics, String name) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
