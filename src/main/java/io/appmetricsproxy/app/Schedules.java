package io.appmetricsproxy.app;

import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import org.quartz.JobBuilder;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.simpl.SimpleJobFactory;

/**
 * A private in-memory Quartz scheduler per webapp: the cycle every scrape interval, the replication
 * round every replication interval.
 */
final class Schedules {
  private Schedules() {}

  /**
   * The cycle every {@code interval}; rounds every {@code replicationInterval}, at the point of it
   * that {@code identity} gives (see {@link #phase}).
   */
  static Scheduler start(
      Cycle cycle,
      Duration interval,
      Replication replication,
      Duration replicationInterval,
      String identity)
      throws SchedulerException {
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", "app-metrics-proxy-" + UUID.randomUUID());
    p.setProperty("org.quartz.scheduler.threadName", "amp-quartz");
    p.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    p.setProperty("org.quartz.threadPool.threadCount", "2");
    p.setProperty("org.quartz.threadPool.threadNamePrefix", "amp-job");
    p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
    p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
    p.setProperty("org.quartz.jobStore.misfireThreshold", "1000");
    Scheduler scheduler = new StdSchedulerFactory(p).getScheduler();
    // The jobs take their work from the scheduler's context. Quartz's default factory sets job
    // properties through java.beans.Introspector, whose cache for the scheduler's thread group
    // outlives the webapp and holds the job classes.
    scheduler.setJobFactory(new SimpleJobFactory());
    scheduler.getContext().put(CycleJob.CYCLE, cycle);
    scheduler.getContext().put(ReplicationJob.REPLICATION, replication);
    every(scheduler, CycleJob.class, "cycle", interval, 0);
    // The first round after the first cycle: this node's folder is named and confirmed by then.
    every(
        scheduler,
        ReplicationJob.class,
        "replication",
        replicationInterval,
        1000 + phase(System.currentTimeMillis() + 1000, replicationInterval, identity));
    scheduler.start();
    return scheduler;
  }

  /**
   * How long after {@code at} this node's rounds start: at its own point of the interval on the
   * wall clock, from its identity, so that the managers of a Swarm (their clocks in sync) do not
   * all reach a worker at the same moment.
   */
  static long phase(long at, Duration interval, String identity) {
    long millis = Math.max(1, interval.toMillis());
    long slot = Math.floorMod(identity.hashCode() * 0x9E3779B1L, millis);
    return Math.floorMod(slot - at, millis);
  }

  private static void every(
      Scheduler scheduler,
      Class<? extends org.quartz.Job> job,
      String name,
      Duration interval,
      long delayMillis)
      throws SchedulerException {
    scheduler.scheduleJob(
        JobBuilder.newJob(job).withIdentity(name).build(),
        TriggerBuilder.newTrigger()
            .withIdentity(name)
            .startAt(new java.util.Date(System.currentTimeMillis() + delayMillis))
            .withSchedule(
                SimpleScheduleBuilder.simpleSchedule()
                    .withIntervalInMilliseconds(interval.toMillis())
                    .repeatForever()
                    .withMisfireHandlingInstructionNextWithRemainingCount())
            .build());
  }

  /** Waits for a running cycle to finish, then stops every Quartz thread. */
  static void stop(Scheduler scheduler) throws SchedulerException {
    scheduler.shutdown(true);
  }
}
