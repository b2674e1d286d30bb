package io.appmetricsproxy.replicate;

import java.util.concurrent.locks.LockSupport;

/**
 * What a thread hand-off costs in a JVM of many threads: two threads pass a turn back and forth by
 * {@link LockSupport#unpark} and {@link LockSupport#park}, as a session's reader thread wakes the
 * thread that waits for an SFTP answer ({@link SftpAnswers}), while {@code idle} other threads of
 * the same JVM sleep. Or, with {@code hold}, only keeps {@code idle} threads asleep until killed:
 * the same many threads in another JVM. Run by {@code bench/handoff.sh}.
 */
public final class HandoffBench {
  private static final int WARM = 20_000;
  private static final int TIMED = 100_000;
  private static volatile int turn;

  private HandoffBench() {}

  /** Arguments: the number of idle threads, then {@code hold} to only hold them. */
  public static void main(String[] args) throws Exception {
    int idle = Integer.parseInt(args[0]);
    for (int i = 0; i < idle; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "idle-" + i);
      t.setDaemon(true);
      t.start();
    }
    if (args.length > 1 && args[1].equals("hold")) {
      System.out.println("holding " + idle + " threads");
      Thread.sleep(Long.MAX_VALUE);
    }
    Thread main = Thread.currentThread();
    Thread other =
        new Thread(
            () -> {
              for (int i = 0; i < WARM + TIMED; i++) {
                while (turn != 1) {
                  LockSupport.park();
                }
                turn = 0;
                LockSupport.unpark(main);
              }
            },
            "handoff-other");
    other.start();
    long t0 = 0;
    for (int i = 0; i < WARM + TIMED; i++) {
      if (i == WARM) {
        t0 = System.nanoTime();
      }
      turn = 1;
      LockSupport.unpark(other);
      while (turn != 0) {
        LockSupport.park();
      }
    }
    long t1 = System.nanoTime();
    other.join();
    System.out.printf(
        "| %,d | %.1f µs |%n", Thread.getAllStackTraces().size(), (t1 - t0) / 1e3 / TIMED);
    System.exit(0);
  }
}
