package io.appmetricsproxy.app;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;

/** The Quartz job that runs one {@link Cycle}; cycles never overlap. */
@DisallowConcurrentExecution
public final class CycleJob implements Job {
  static final String CYCLE = Cycle.class.getName();
  private static final Logger logger = Logger.getLogger(CycleJob.class.getName());

  @Override
  public void execute(JobExecutionContext context) {
    try {
      ((Cycle) context.getScheduler().getContext().get(CYCLE)).run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SchedulerException | RuntimeException e) {
      logger.log(Level.SEVERE, "Cycle failed", e);
    }
  }
}
