package io.appmetricsproxy.exposition;

import static io.appmetricsproxy.exposition.ExpositionMergerTest.source;
import static io.appmetricsproxy.exposition.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Feeds writer output to Prometheus' own "promtool check metrics": it must find no parse error. Exit code 3
 * with text like "foo no help text" is a lint finding, not a parse error; the metrics here are lint-clean for
 * promtool 2.42. Skipped without /usr/bin/promtool, unless CI=true, where a missing promtool fails.
 */
class PromtoolCheckTest {

    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final int EXIT_OK = 0;
    private static final int EXIT_LINT_FINDINGS = 3;

    static Stream<Arguments> outputs() {
        Exposition merged = ExpositionMerger.merge(List.of(
                source(Format.TEXT, Fixtures.NODE_EXPORTER, "container", "node-1"),
                source(Format.TEXT, Fixtures.NODE_EXPORTER, "container", "node-2"),
                source(Format.OPENMETRICS, Fixtures.CLIENT_JAVA, "container", "app-1"))).exposition();
        Exposition openMetrics = ExpositionParser.parse(utf8(Fixtures.CLIENT_JAVA), Format.OPENMETRICS);
        return Stream.of(
                Arguments.of("merged replicas of text and OpenMetrics", ExpositionWriter.write(merged, Format.TEXT)),
                Arguments.of("OpenMetrics written as text", ExpositionWriter.write(openMetrics, Format.TEXT)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outputs")
    void promtoolFindsNoParseError(String name, byte[] body, @TempDir Path dir) throws Exception {
        requirePromtool();
        Path input = Files.write(dir.resolve("metrics.prom"), body);

        Process process = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
                .redirectInput(input.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();

        assertThat(output).as("promtool output").doesNotContainIgnoringCase("error");
        assertThat(process.exitValue()).as("promtool exit code, output: %s", output)
                .isIn(EXIT_OK, EXIT_LINT_FINDINGS);
        if (process.exitValue() == EXIT_LINT_FINDINGS) {
            System.out.println("promtool lint findings for " + name + ":\n" + output);
        }
    }

    private static void requirePromtool() throws IOException {
        if (Files.isExecutable(PROMTOOL)) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(PROMTOOL + " is missing, and CI=true requires it");
        }
        assumeTrue(false, PROMTOOL + " is not installed");
    }
}
