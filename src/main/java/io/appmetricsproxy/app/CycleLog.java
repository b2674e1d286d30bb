package io.appmetricsproxy.app;

import io.appmetricsproxy.scrape.ScrapeResult;
import io.appmetricsproxy.status.CycleReport;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One INFO line per cycle; a target's or the engine's failure logged once when it starts and once
 * when it ends, not every cycle.
 */
final class CycleLog {
  private static final Logger logger = Logger.getLogger(Cycle.class.getName());

  private final Map<String, Boolean> upByContainer = new HashMap<>();
  private Optional<String> engineError = Optional.empty();

  /** Logs the engine's state when it changes: one WARNING when it fails, one INFO when back. */
  void engine(Optional<String> error) {
    if (!error.equals(engineError)) {
      if (error.isPresent()) {
        logger.log(Level.WARNING, "Cannot list containers: {0}", error.get());
      } else {
        logger.info("Docker engine reachable again");
      }
      engineError = error;
    }
  }

  void record(CycleReport report) {
    engine(report.engineError());
    Map<String, Boolean> seen = new HashMap<>();
    for (ScrapeResult r : report.results()) {
      String who = r.target().name() + " (" + r.target().containerName() + ")";
      Boolean before = upByContainer.get(r.target().containerId());
      if (r instanceof ScrapeResult.Failure f && !Boolean.FALSE.equals(before)) {
        logger.log(
            Level.WARNING, "Scrape of {0} failing: {1}", new Object[] {who, f.error().message()});
      } else if (r.ok() && Boolean.FALSE.equals(before)) {
        logger.log(Level.INFO, "Scrape of {0} recovered", who);
      }
      seen.put(r.target().containerId(), r.ok());
    }
    if (report.engineError().isEmpty()) {
      upByContainer.clear();
      upByContainer.putAll(seen);
    }
    logger.log(
        Level.INFO,
        report.lastDiscoveryAt().isPresent()
            ? "Cycle: {0} targets of the last discovery at "
                + report.lastDiscoveryAt().get()
                + ", {1} up, {2} failing, {3} not scraped, {4} ms"
            : "Cycle: {0} targets, {1} up, {2} failing, {3} not scraped, {4} ms",
        new Object[] {
          report.results().size(),
          report.up(),
          report.results().size() - report.up(),
          report.skipped().size(),
          report.duration().toMillis()
        });
  }
}
