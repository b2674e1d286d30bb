package io.appmetricsproxy.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ThreadsTest {
  @Test
  void aPoolStartsAThreadOnlyWhenNoneIsIdle() throws Exception {
    ExecutorService pool = Threads.pool("test-pool-", 64, Duration.ofMinutes(1));
    try {
      Set<String> names = ConcurrentHashMap.newKeySet();
      for (int cycle = 0; cycle < 20; cycle++) { // 20 cycles of 3 tasks at once
        List<Future<?>> running = new ArrayList<>();
        CountDownLatch all = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
          running.add(
              pool.submit(
                  () -> {
                    names.add(Thread.currentThread().getName());
                    all.countDown();
                    all.await(5, TimeUnit.SECONDS); // the three run at the same time
                    return null;
                  }));
        }
        awaitAll(running);
        Thread.sleep(5); // the threads are idle again before the next cycle
      }
      assertThat(names).hasSize(3).allMatch(n -> n.matches("test-pool-\\d+"));
    } finally {
      Threads.stop(pool, Duration.ofSeconds(5));
    }
  }

  @Test
  void whatComesWhileAllThreadsAreBusyWaitsAndRuns() throws Exception {
    ExecutorService pool = Threads.pool("test-pool-", 2, Duration.ofMinutes(1));
    try {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch two = new CountDownLatch(2);
      AtomicInteger atOnce = new AtomicInteger();
      AtomicInteger most = new AtomicInteger();
      AtomicInteger done = new AtomicInteger();
      Set<String> names = ConcurrentHashMap.newKeySet();
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        running.add(
            pool.submit(
                () -> {
                  names.add(Thread.currentThread().getName());
                  most.accumulateAndGet(atOnce.incrementAndGet(), Math::max);
                  two.countDown();
                  release.await(5, TimeUnit.SECONDS);
                  atOnce.decrementAndGet();
                  done.incrementAndGet();
                  return null;
                }));
      }
      assertThat(two.await(5, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(50);
      assertThat(atOnce).as("running while two are busy").hasValue(2);
      release.countDown();
      awaitAll(running);
      assertThat(done).hasValue(10);
      assertThat(most).hasValue(2);
      assertThat(names).hasSize(2);
    } finally {
      Threads.stop(pool, Duration.ofSeconds(5));
    }
  }

  @Test
  void anIdleThreadEndsAfterItsKeepAlive() throws Exception {
    ExecutorService pool = Threads.pool("test-pool-", 4, Duration.ofMillis(50));
    try {
      Set<String> names = ConcurrentHashMap.newKeySet();
      pool.submit(() -> names.add(Thread.currentThread().getName())).get(5, TimeUnit.SECONDS);
      Thread.sleep(500);
      pool.submit(() -> names.add(Thread.currentThread().getName())).get(5, TimeUnit.SECONDS);
      assertThat(names).containsExactlyInAnyOrder("test-pool-1", "test-pool-2");
    } finally {
      Threads.stop(pool, Duration.ofSeconds(5));
    }
  }

  @Test
  void aStoppedPoolRefusesTasks() {
    ExecutorService pool = Threads.pool("test-pool-", 2, Duration.ofMinutes(1));
    Threads.stop(pool, Duration.ofSeconds(5));
    assertThatThrownBy(() -> pool.submit(() -> {}))
        .isInstanceOf(RejectedExecutionException.class)
        .hasMessageContaining("test-pool-");
  }

  private static void awaitAll(List<Future<?>> running) throws Exception {
    for (Future<?> f : running) {
      f.get(5, TimeUnit.SECONDS);
    }
  }
}
