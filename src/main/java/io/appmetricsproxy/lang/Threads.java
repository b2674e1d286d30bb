package io.appmetricsproxy.lang;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The proxy's own threads: named, so that a thread dump says whose they are, and daemons, so that
 * none keeps a JVM up after the webapp is undeployed; and their stop.
 */
public final class Threads {
  private Threads() {}

  /** Threads named {@code prefix} and a number: {@code amp-scrape-1}, {@code amp-scrape-2}… */
  public static ThreadFactory numbered(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> daemon(r, prefix + n.incrementAndGet());
  }

  /** Threads all named {@code name}, for an executor of one thread. */
  public static ThreadFactory named(String name) {
    return r -> daemon(r, name);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * Interrupts what {@code executor} runs and waits up to {@code wait} for it to end; a caller
   * interrupted meanwhile stops waiting and stays interrupted.
   */
  public static void stop(ExecutorService executor, Duration wait) {
    executor.shutdownNow();
    try {
      executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException ignored) {
      Thread.currentThread().interrupt();
    }
  }
}
