package io.appmetricsproxy.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.discover.Discovery;
import io.appmetricsproxy.discover.Target;
import io.appmetricsproxy.exposition.Format;
import io.appmetricsproxy.exposition.Payload;
import io.appmetricsproxy.scrape.ScrapeError;
import io.appmetricsproxy.scrape.ScrapeResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeldBackTest {
  private static final Instant LISTED = Instant.parse("2026-12-02T10:00:00Z");
  private static final Duration INTERVAL = Duration.ofSeconds(10);
  private final HeldBack held = new HeldBack(INTERVAL);

  private static Target target(String id, String host) {
    return new Target(id, "c-" + id, "web", host, List.of(8080), "/metrics");
  }

  private static ScrapeResult ok(String id) {
    return new ScrapeResult.Success(
        target(id, "10.0.0.1"),
        LISTED,
        Duration.ofMillis(3),
        8080,
        Payload.of("up 1\n".getBytes(StandardCharsets.UTF_8), Format.TEXT));
  }

  private static ScrapeResult.Failure failed(String id, String host) {
    return new ScrapeResult.Failure(
        target(id, host),
        LISTED.plusSeconds(2),
        Duration.ofMillis(4),
        new ScrapeError(ScrapeError.Reason.CONNECT, "8080: connection refused"));
  }

  private static Discovery listing(Target... targets) {
    return new Discovery("n1", List.of(targets), List.of());
  }

  @Test
  void withoutTheEngineEveryFailedTargetIsHeldAndToldWhyOnce() {
    var first = held.away(List.of(ok("a"), failed("b", "10.0.0.2")), LISTED);
    assertThat(first).containsOnlyKeys("b");
    ScrapeResult.Failure b = first.get("b");
    assertThat(b.startedAt()).isEqualTo(LISTED.plusSeconds(2));
    assertThat(b.duration()).isEqualTo(Duration.ofMillis(4));
    assertThat(b.error().reason()).isEqualTo(ScrapeError.Reason.CONNECT);
    assertThat(b.error().message())
        .isEqualTo(
            "8080: connection refused; not scraped again until the engine has answered for 10 s"
                + " (it could not be listed after 2026-12-02T10:00:00Z: this container may have"
                + " stopped meanwhile, and its address gone to another)");
    // the next cycle without the engine carries the told failure: not told again
    assertThat(held.away(List.of(ok("a"), b), LISTED)).containsExactlyEntriesOf(first);
  }

  @Test
  void aTargetListedAtTheSameAddressStaysHeldForOneIntervalAfterTheEngineAnswers() {
    held.away(List.of(failed("b", "10.0.0.2")), LISTED);
    Instant back = LISTED.plusSeconds(30);
    Discovery same = listing(target("a", "10.0.0.1"), target("b", "10.0.0.2"));
    assertThat(held.listed(same, back)).containsOnlyKeys("b");
    assertThat(held.listed(same, back.plus(INTERVAL).minusMillis(1))).containsOnlyKeys("b");
    assertThat(held.listed(same, back.plus(INTERVAL))).isEmpty();
    assertThat(held.listed(same, back.plus(INTERVAL).plusSeconds(1))).isEmpty();
  }

  @Test
  void aListingAtAnotherAddressOrWithoutItLetsATargetGo() {
    held.away(List.of(failed("b", "10.0.0.2"), failed("c", "10.0.0.3")), LISTED);
    Instant back = LISTED.plusSeconds(30);
    assertThat(held.listed(listing(target("b", "10.0.0.9")), back)).isEmpty();
    // once let go, a later listing at the old address does not hold it again
    assertThat(held.listed(listing(target("b", "10.0.0.2"), target("c", "10.0.0.3")), back))
        .isEmpty();
  }

  @Test
  void anotherOutageDuringTheIntervalHoldsUntilOneIntervalAfterTheEngineAnswersAgain() {
    held.away(List.of(failed("b", "10.0.0.2")), LISTED);
    Discovery same = listing(target("b", "10.0.0.2"));
    Instant back = LISTED.plusSeconds(30);
    held.listed(same, back);
    var still = held.away(List.of(failed("b", "10.0.0.2")), LISTED);
    assertThat(still).containsOnlyKeys("b");
    Instant backAgain = back.plusSeconds(8);
    assertThat(held.listed(same, backAgain)).containsOnlyKeys("b");
    assertThat(held.listed(same, back.plus(INTERVAL).plusSeconds(1)))
        .as("the interval runs from the second answer")
        .containsOnlyKeys("b");
    assertThat(held.listed(same, backAgain.plus(INTERVAL))).isEmpty();
  }

  @Test
  void nothingHeldWhenNothingFailed() {
    assertThat(held.away(List.of(ok("a")), LISTED)).isEmpty();
    assertThat(held.listed(listing(target("a", "10.0.0.1")), LISTED.plusSeconds(1))).isEmpty();
  }
}
