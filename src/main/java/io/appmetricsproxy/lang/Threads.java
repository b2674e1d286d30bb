package io.appmetricsproxy.lang;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
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

  /**
   * Up to {@code max} threads named {@code prefix} and a number, a new one started only when none
   * is idle: a cycle of 5 scrapes keeps 5 threads, not SCRAPE_CONCURRENCY (a plain fixed pool
   * starts a thread for each task until it has them all, idle ones or not). What comes while all
   * {@code max} are busy waits in order; a thread idle for {@code keepAlive} ends.
   */
  public static ExecutorService pool(String prefix, int max, Duration keepAlive) {
    HandOff queue = new HandOff();
    return new ThreadPoolExecutor(
        0,
        max,
        keepAlive.toNanos(),
        TimeUnit.NANOSECONDS,
        queue,
        numbered(prefix),
        (task, pool) -> {
          if (pool.isShutdown()) {
            throw new RejectedExecutionException("the " + prefix + "* threads are stopped");
          }
          queue.waiting(task); // all max threads busy: the first of them to end takes it
        });
  }

  /** Hands a task to an idle thread, else refuses it, so that the pool starts one. */
  private static final class HandOff extends LinkedTransferQueue<Runnable> {
    @Override
    public boolean offer(Runnable task) {
      return tryTransfer(task);
    }

    void waiting(Runnable task) {
      super.offer(task);
    }
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
