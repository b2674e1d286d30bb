package io.appmetricsproxy.app;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;

/** The Quartz job that runs one {@link Replication} round; rounds never overlap. */
@DisallowConcurrentExecution
public final class ReplicationJob implements Job {
  static final String REPLICATION = Replication.class.getName();
  private static final Logger logger = Logger.getLogger(ReplicationJob.class.getName());

  @Override
  public void execute(JobExecutionContext context) {
    try {
      ((Replication) context.getScheduler().getContext().get(REPLICATION)).run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SchedulerException | RuntimeException e) {
      logger.log(Level.SEVERE, "Replication round failed", e);
    }
  }
}
