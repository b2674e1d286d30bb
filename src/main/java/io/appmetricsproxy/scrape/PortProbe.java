package io.appmetricsproxy.scrape;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Opens a TCP connection to each of a target's ports at once and closes it again: a target that
 * listens on none of them costs one connect wait, not one per port after the other.
 */
final class PortProbe {
  private PortProbe() {}

  /**
   * Each port with the error that keeps it from being asked (refused, unreachable, no connect
   * within {@code timeout}), or empty: it accepted, or it is after the first port that did.
   */
  static Map<Integer, Optional<ScrapeError>> probe(
      InetAddress address, List<Integer> ports, Duration timeout, ScrapeError noConnect) {
    Map<Integer, Optional<ScrapeError>> outcome = new LinkedHashMap<>();
    ports.forEach(p -> outcome.put(p, Optional.empty()));
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Selector selector = Selector.open()) {
      for (int port : ports) {
        start(selector, address, port, outcome);
      }
      while (!decided(ports, outcome, selector)) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          break;
        }
        selector.select(left);
        for (SelectionKey key : selector.selectedKeys()) {
          finish(key, outcome);
        }
        selector.selectedKeys().clear();
      }
      boolean decided = decided(ports, outcome, selector);
      for (SelectionKey key : selector.keys()) {
        if (key.isValid() && !decided) {
          outcome.put((Integer) key.attachment(), Optional.of(noConnect));
        }
        close(key);
      }
    } catch (IOException e) {
      // no selector: the ports are asked one after the other, as if all had accepted
      ports.forEach(p -> outcome.put(p, Optional.empty()));
    }
    return outcome;
  }

  /**
   * True once the first port to ask is known: every port before it refused, and it accepted. The
   * ports after it that are still connecting stay to be asked, each by its own request.
   */
  private static boolean decided(
      List<Integer> ports, Map<Integer, Optional<ScrapeError>> outcome, Selector selector) {
    Set<Integer> connecting = new HashSet<>();
    for (SelectionKey key : selector.keys()) {
      if (key.isValid()) {
        connecting.add((Integer) key.attachment());
      }
    }
    for (int port : ports) {
      if (connecting.contains(port)) {
        return false;
      }
      if (outcome.get(port).isEmpty()) {
        return true;
      }
    }
    return true;
  }

  private static void start(
      Selector selector, InetAddress address, int port, Map<Integer, Optional<ScrapeError>> outcome)
      throws IOException {
    SocketChannel channel = SocketChannel.open();
    try {
      channel.configureBlocking(false);
      if (channel.connect(new InetSocketAddress(address, port))) {
        channel.close();
      } else {
        channel.register(selector, SelectionKey.OP_CONNECT, port);
      }
    } catch (IOException e) {
      channel.close();
      outcome.put(port, Optional.of(HttpFetcher.unreachable(e)));
    }
  }

  private static void finish(SelectionKey key, Map<Integer, Optional<ScrapeError>> outcome) {
    try {
      ((SocketChannel) key.channel()).finishConnect();
    } catch (IOException e) {
      outcome.put((Integer) key.attachment(), Optional.of(HttpFetcher.unreachable(e)));
    } finally {
      close(key);
    }
  }

  private static void close(SelectionKey key) {
    key.cancel();
    try {
      key.channel().close();
    } catch (IOException ignored) {
      // a probe connection that does not close cleanly has told what it had to
    }
  }
}
