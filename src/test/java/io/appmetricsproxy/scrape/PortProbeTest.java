package io.appmetricsproxy.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The probe against real sockets on loopback: listening, closed and never answering ports. */
class PortProbeTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final ScrapeError NO_CONNECT =
      new ScrapeError(ScrapeError.Reason.TIMEOUT, "no connect within the scrape timeout of 4s");

  private ServerSocket open;
  private Unanswered unanswered;

  @BeforeEach
  void start() throws IOException {
    open = new ServerSocket(0, 50, LOOPBACK);
    unanswered = new Unanswered();
  }

  @AfterEach
  void stop() throws IOException {
    open.close();
    unanswered.close();
  }

  @Test
  void eachPortIsOpenRefusedOrSilentAndAllAreTriedAtOnce() throws IOException {
    int closed = Unanswered.closedPort();
    try (Unanswered another = new Unanswered()) {
      int silent = unanswered.port();
      Map<Integer, Optional<ScrapeError>> outcome =
          PortProbe.probe(
              LOOPBACK,
              List.of(closed, silent, another.port(), open.getLocalPort()),
              Duration.ofMillis(300),
              NO_CONNECT);
      assertThat(outcome.keySet())
          .containsExactly(closed, silent, another.port(), open.getLocalPort());
      assertThat(outcome.get(closed))
          .contains(new ScrapeError(ScrapeError.Reason.CONNECT, "connection refused"));
      // both silent ports waited for the same 300 ms: neither was left untried
      assertThat(outcome.get(silent)).contains(NO_CONNECT);
      assertThat(outcome.get(another.port())).contains(NO_CONNECT);
      assertThat(outcome.get(open.getLocalPort())).isEmpty();
    }
  }

  @Test
  void portsAfterTheFirstThatAcceptsAreLeftToTheirOwnRequest() throws IOException {
    int silent = unanswered.port();
    Map<Integer, Optional<ScrapeError>> outcome =
        PortProbe.probe(
            LOOPBACK, List.of(open.getLocalPort(), silent), Duration.ofSeconds(30), NO_CONNECT);
    assertThat(outcome.get(open.getLocalPort())).isEmpty();
    assertThat(outcome.get(silent)).as("not waited for: the first port is known").isEmpty();
  }
}
