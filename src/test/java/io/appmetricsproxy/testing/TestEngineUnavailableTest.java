package io.appmetricsproxy.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * The no-engine path without Docker: an unreachable engine gives a reason, which skips locally and
 * fails on CI.
 */
class TestEngineUnavailableTest {
  private static final String NOWHERE = "unix:///nonexistent/amp-test/docker.sock";

  @Test
  void anUnreachableEngineIsReportedWithItsAddress() {
    assertThatThrownBy(() -> TestEngine.open(NOWHERE))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(NOWHERE)
        .hasMessageContaining("does not answer ping");
  }

  @Test
  void withoutCiTheTestIsAbortedWithTheReason() {
    assertThat(TestEngine.unavailable("no socket", false))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("no socket");
  }

  @Test
  void onCiTheTestFailsWithTheReason() {
    RuntimeException e = TestEngine.unavailable("no socket", true);
    assertThat(e).isNotInstanceOf(TestAbortedException.class).hasMessageContaining("no socket");
  }
}
