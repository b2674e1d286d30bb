package io.appmetricsproxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.testing.Prerequisite;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs src/test/e2e/swarm-e2e.sh with the built WAR: a real three-node Swarm (two managers, one
 * worker) deploying docker-compose.swarm.yml, a real Prometheus, scaling and the loss of a node.
 * Without root or a tool it needs the test is skipped, unless CI=true, where it fails.
 */
class SwarmClusterIT {
  private static final List<String> TOOLS =
      List.of(
          "dockerd",
          "docker",
          "nsenter",
          "unshare",
          "ip",
          "iptables",
          "jlink",
          "prometheus",
          "promtool",
          "curl",
          "jq",
          "busybox");
  private static final long TIMEOUT_MINUTES = 12;

  @Test
  void threeNodeSwarmWithPrometheusConvergesAfterScalingAndNodeLoss() throws Exception {
    requirePrerequisites();
    Path root = Path.of("").toAbsolutePath();
    Path log = root.resolve("target/swarm-e2e.log");
    List<String> command =
        List.of("bash", "src/test/e2e/swarm-e2e.sh", System.getProperty("war.file"));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectInput(Redirect.from(new File("/dev/null")));
    String tomcatHome = System.getProperty("tomcat.home");
    if (tomcatHome != null && Files.isDirectory(Path.of(tomcatHome))) {
      builder.environment().put("TOMCAT_HOME", tomcatHome);
    }
    Process script = builder.start();
    List<String> lines = new ArrayList<>();
    Thread pump = new Thread(() -> pump(script, log, lines), "swarm-e2e-output");
    pump.start();
    boolean ended = script.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
    if (!ended) {
      script.destroy(); // SIGTERM: the script's trap tears the cluster down
      script.waitFor(2, TimeUnit.MINUTES);
      script.destroyForcibly();
    }
    pump.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(ended).as("swarm-e2e.sh ended within %d minutes", TIMEOUT_MINUTES).isTrue();
    assertThat(script.exitValue())
        .as("exit code of swarm-e2e.sh; its output is in %s", log)
        .isZero();
    synchronized (lines) {
      assertThat(lines).anyMatch(line -> line.startsWith("| stop node3's engine"));
    }
  }

  /**
   * README's "Deploying on Swarm" shows the stack file and a Prometheus job as the test runs them.
   */
  @Test
  void readmeShowsTheStackFileAndPrometheusJobThatTheTestRuns() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    String stack = Files.readString(Path.of("docker-compose.swarm.yml"));
    List<String> prometheus = Files.readAllLines(Path.of("src/test/e2e/prometheus.yml"));
    int start =
        prometheus.indexOf("  - job_name: pair       # demo_pair: two replicas, then three");
    assertThat(start).as("the pair job in src/test/e2e/prometheus.yml").isNotNegative();
    int end = start + 1;
    while (end < prometheus.size() && !prometheus.get(end).startsWith("  - job_name")) {
      end++;
    }
    String pairJob = String.join("\n", prometheus.subList(start, end)) + "\n";

    assertThat(readme)
        .contains("```yaml\n" + stack + "```")
        .contains("```yaml\n" + pairJob + "```");
  }

  /** Copies the script's output to stdout and to {@code log} as it comes. */
  private static void pump(Process script, Path log, List<String> lines) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(script.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        System.out.println(line);
        out.println(line);
        synchronized (lines) {
          lines.add(line);
        }
      }
    } catch (IOException e) {
      System.err.println("[swarm-e2e] output lost: " + e);
    }
  }

  private static void requirePrerequisites() throws IOException, InterruptedException {
    List<String> missing = new ArrayList<>();
    if (!isRoot()) {
      missing.add("root");
    }
    for (String tool : TOOLS) {
      if (which(tool) == null) {
        missing.add(tool);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    Prerequisite.require(
        false, "the Swarm end-to-end test needs " + missing + " (bash src/test/setup.sh, as root)");
  }

  private static boolean isRoot() throws IOException, InterruptedException {
    Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
    String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    return id.waitFor() == 0 && uid.equals("0");
  }

  private static Path which(String tool) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
    return Stream.of(path.split(":"))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, tool))
        .filter(Files::isExecutable)
        .findFirst()
        .orElse(null);
  }
}
