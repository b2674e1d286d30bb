package io.appmetricsproxy.discover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** An engine call that hangs costs its callers the deadline, and is not made again meanwhile. */
class EngineCallsTest {
  private static final Duration DEADLINE = Duration.ofMillis(200);

  @Test
  void aHungCallFailsAtItsDeadlineAndLaterCallersWaitOnTheSameOne() throws Exception {
    CountDownLatch answer = new CountDownLatch(1);
    AtomicInteger made = new AtomicInteger();
    try (EngineCalls calls = new EngineCalls("unix:///x.sock", DEADLINE)) {
      assertThat(calls.call("targets", () -> "first, within " + EngineCalls.FIRST_DEADLINE))
          .isEqualTo("first, within PT5S");
      for (int i = 0; i < 3; i++) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> calls.call("targets", hung(made, answer)))
            .isInstanceOf(DiscoveryException.class)
            .hasMessage("Docker engine at unix:///x.sock: no answer within 200 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
            .isBetween(DEADLINE, DEADLINE.plusMillis(500));
      }
      assertThat(made).hasValue(1);

      answer.countDown(); // the engine answers: the hung call ends, the next one is made anew
      Thread.sleep(50);
      assertThat(calls.call("targets", () -> "now " + made.incrementAndGet())).isEqualTo("now 2");
    }
  }

  @Test
  void aLateAnswerToACallOlderThanTheDeadlineIsNotTakenButAskedAgain() throws Exception {
    CountDownLatch answer = new CountDownLatch(1);
    AtomicInteger made = new AtomicInteger();
    try (EngineCalls calls = new EngineCalls("unix:///x.sock", DEADLINE)) {
      calls.call("targets", () -> "warm");
      assertThatThrownBy(() -> calls.call("targets", hung(made, answer)))
          .isInstanceOf(DiscoveryException.class);
      Thread.sleep(DEADLINE.toMillis());
      new Thread(
              () -> {
                sleep(DEADLINE.dividedBy(2));
                answer.countDown(); // the engine goes on while the next caller waits
              })
          .start();
      assertThat(calls.call("targets", () -> "asked again " + made.incrementAndGet()))
          .isEqualTo("asked again 2");
    }
  }

  @Test
  void theFirstCallWhichLoadsTheClientMayTakeLonger() {
    try (EngineCalls calls = new EngineCalls("unix:///x.sock", DEADLINE)) {
      assertThat(
              calls.call(
                  "targets",
                  () -> {
                    sleep(DEADLINE.multipliedBy(3));
                    return "slow first";
                  }))
          .isEqualTo("slow first");
      assertThatThrownBy(
              () ->
                  calls.call(
                      "targets",
                      () -> {
                        sleep(DEADLINE.multipliedBy(3));
                        return "slow again";
                      }))
          .hasMessage("Docker engine at unix:///x.sock: no answer within 200 ms");
    }
  }

  @Test
  void aFailureOfTheCallIsItsCallersFailure() {
    try (EngineCalls calls = new EngineCalls("unix:///x.sock", DEADLINE)) {
      assertThatThrownBy(
              () ->
                  calls.call(
                      "targets",
                      () -> {
                        throw new DiscoveryException("Docker engine at x: refused", null);
                      }))
          .isInstanceOf(DiscoveryException.class)
          .hasMessage("Docker engine at x: refused");
    }
  }

  /** A call to an engine that answers only once {@code answer} is counted down. */
  private static Supplier<String> hung(AtomicInteger made, CountDownLatch answer) {
    return () -> {
      made.incrementAndGet();
      await(answer);
      return "as the engine was when it hung";
    };
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
