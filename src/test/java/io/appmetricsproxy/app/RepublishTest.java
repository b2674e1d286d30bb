package io.appmetricsproxy.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** How many snapshots a node asks for the confirmations its peers copy in between its cycles. */
class RepublishTest {
  private static final Duration LATEST = Duration.ofMillis(300);

  private final AtomicLong made = new AtomicLong(); // every snapshot, the cycle's included
  private final AtomicInteger published = new AtomicInteger(); // those Republish made

  private Republish republish() {
    return new Republish(
        () -> {
          made.incrementAndGet();
          published.incrementAndGet();
        },
        made::get,
        LATEST);
  }

  @Test
  void confirmationsAreServedByTheNextCyclesSnapshotWithoutOneOfTheirOwn() throws Exception {
    try (Republish r = republish()) {
      r.later();
      r.later();
      made.incrementAndGet(); // the node's cycle makes its snapshot meanwhile
      Thread.sleep(LATEST.multipliedBy(3).toMillis());
      assertThat(published).hasValue(0);
    }
  }

  @Test
  void confirmationsAreServedByTheirOwnSnapshotWhereNoCycleMakesOne() throws Exception {
    try (Republish r = republish()) {
      r.later();
      r.later(); // asked again before it is made: the same one
      await().atMost(Duration.ofSeconds(2)).until(() -> published.get() == 1);
      Thread.sleep(LATEST.multipliedBy(2).toMillis());
      assertThat(published).hasValue(1);
      r.later(); // the next round's
      await().atMost(Duration.ofSeconds(2)).until(() -> published.get() == 2);
    }
  }
}
