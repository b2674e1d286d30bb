package io.appmetricsproxy.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each node's rounds at its own point of the interval, wherever its clock is when it starts. */
class SchedulesTest {
  private static final Duration INTERVAL = Duration.ofSeconds(10);

  @Test
  void aNodeStartsItsRoundsAtTheSamePointOfTheIntervalWhenEverItStarts() {
    long first = 1_700_000_000_123L;
    long later = first + 987_654;
    long a = Schedules.phase(first, INTERVAL, "3f2a9c1d8e7b");
    long b = Schedules.phase(later, INTERVAL, "3f2a9c1d8e7b");
    assertThat(a).isBetween(0L, INTERVAL.toMillis() - 1);
    assertThat(b).isBetween(0L, INTERVAL.toMillis() - 1);
    assertThat((first + a) % INTERVAL.toMillis()).isEqualTo((later + b) % INTERVAL.toMillis());
  }

  @Test
  void nodesSpreadOverTheInterval() {
    long at = 1_700_000_000_000L;
    Set<Long> seconds = new HashSet<>();
    for (String id : new String[] {"manager-1", "manager-2", "manager-3", "worker-1", "worker-2"}) {
      seconds.add((at + Schedules.phase(at, INTERVAL, id)) % INTERVAL.toMillis() / 1000);
    }
    assertThat(seconds)
        .as("five nodes, at least three different seconds of ten")
        .hasSizeGreaterThanOrEqualTo(3);
  }
}
