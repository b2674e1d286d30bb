package io.appmetricsproxy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus' own {@code promtool check metrics} as a test oracle: a body must parse without error.
 * A parse error exits 1 with "error while linting: text format parsing error…"; exit code 3 with
 * findings such as "no help text" is lint, not a parse error. Without promtool the test is skipped,
 * unless CI=true, where it fails.
 */
public final class Promtool {
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  private static final int EXIT_LINT_FINDINGS = 3;

  private Promtool() {}

  public static void assertParses(String what, byte[] body) {
    require();
    try {
      Path input = Files.createTempFile("promtool", ".prom");
      try {
        Files.write(input, body);
        Process process =
            new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
                .redirectInput(input.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(output).as("promtool on %s", what).doesNotContain("error while linting");
        assertThat(process.exitValue())
            .as("promtool exit code on %s: %s", what, output)
            .isIn(0, EXIT_LINT_FINDINGS);
      } finally {
        Files.deleteIfExists(input);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run promtool: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static void require() {
    Prerequisite.require(Files.isExecutable(PROMTOOL), PROMTOOL + " is not installed");
  }
}
