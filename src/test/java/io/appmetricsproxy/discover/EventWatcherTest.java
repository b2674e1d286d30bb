package io.appmetricsproxy.discover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The waits between tries to follow the events again (the reconnection itself: EventsIT). */
class EventWatcherTest {
  @Test
  void waitsDoubleFromAQuarterSecondUpToTwoSeconds() {
    List<Long> waits = new ArrayList<>();
    Duration wait = Duration.ofMillis(250);
    for (int i = 0; i < 7; i++) {
      waits.add(wait.toMillis());
      wait = EventWatcher.after(wait);
    }

    assertThat(waits).containsExactly(250L, 500L, 1000L, 2000L, 2000L, 2000L, 2000L);
  }
}
