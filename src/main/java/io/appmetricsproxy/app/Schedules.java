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

/** A private in-memory Quartz scheduler per webapp, running the cycle every interval. */
final class Schedules {
  private Schedules() {}

  static Scheduler start(Cycle cycle, Duration interval) throws SchedulerException {
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
    scheduler.getContext().put(CycleJob.CYCLE, cycle);
    scheduler.scheduleJob(
        JobBuilder.newJob(CycleJob.class).withIdentity("cycle").build(),
        TriggerBuilder.newTrigger()
            .withIdentity("cycle")
            .startNow()
            .withSchedule(
                SimpleScheduleBuilder.simpleSchedule()
                    .withIntervalInMilliseconds(interval.toMillis())
                    .repeatForever()
                    .withMisfireHandlingInstructionNextWithRemainingCount())
            .build());
    scheduler.start();
    return scheduler;
  }

  /** Waits for a running cycle to finish, then stops every Quartz thread. */
  static void stop(Scheduler scheduler) throws SchedulerException {
    scheduler.shutdown(true);
  }
}
