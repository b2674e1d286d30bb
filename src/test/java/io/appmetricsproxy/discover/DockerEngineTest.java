package io.appmetricsproxy.discover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DockerEngineTest {
  @Test
  void anEngineCallWaitsHalfTheIntervalAtMostFiveSeconds() {
    assertThat(DockerEngine.deadline(Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(500));
    assertThat(DockerEngine.deadline(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(1));
    assertThat(DockerEngine.deadline(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(5));
    assertThat(DockerEngine.deadline(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(5));
  }
}
