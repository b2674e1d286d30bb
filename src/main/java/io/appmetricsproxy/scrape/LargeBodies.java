package io.appmetricsproxy.scrape;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the heap that large bodies in flight take. Reading and checking a body takes about {@value
 * #HEAP_PER_BODY_BYTE} times its size at its peak (the growing buffer, its final copy and the
 * parsed model; 34 MB for a 9.5 MB exposition), so 32 concurrent scrapes of 10 MB bodies would need
 * 2 GB. A body that grows past {@value #THRESHOLD} bytes goes on only while it holds one of a few
 * slots, as many as half of the maximum heap allows at MAX_BODY_SIZE each; smaller bodies, the
 * usual, never wait. A scrape holds at most one slot and waits for nothing else while holding it.
 */
final class LargeBodies {
  static final int THRESHOLD = 1 << 20;
  static final int HEAP_PER_BODY_BYTE = 6;

  private final Semaphore slots;
  private final int count;

  LargeBodies(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("at least one slot");
    }
    this.count = count;
    this.slots = new Semaphore(count, true);
  }

  /**
   * As many slots as half of {@code maxHeap} holds bodies of {@code maxBodyBytes}, at least one.
   */
  static LargeBodies forHeap(long maxHeap, long maxBodyBytes, int concurrency) {
    long perBody = HEAP_PER_BODY_BYTE * Math.max(maxBodyBytes, THRESHOLD);
    return new LargeBodies((int) Math.max(1, Math.min(concurrency, maxHeap / 2 / perBody)));
  }

  int count() {
    return count;
  }

  /** One scrape's claim: takes a slot on first need; {@link Claim#close()} gives it back. */
  Claim claim() {
    return new Claim();
  }

  final class Claim implements AutoCloseable {
    private boolean held;

    /**
     * Takes a slot unless this claim holds one, waiting until {@code deadlineNanos} (of {@link
     * System#nanoTime()}) at most.
     *
     * @throws HttpFetcher.ScrapeFailure a timeout, if no slot came free in time
     */
    void acquire(long deadlineNanos) throws HttpFetcher.ScrapeFailure {
      if (held) {
        return;
      }
      try {
        held = slots.tryAcquire(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (!held) {
        throw new HttpFetcher.ScrapeFailure(
            ScrapeError.Reason.TIMEOUT,
            "a body over 1 MiB waited for memory until the scrape timeout ("
                + count
                + " such bodies are read at a time)");
      }
    }

    @Override
    public void close() {
      if (held) {
        held = false;
        slots.release();
      }
    }
  }
}
