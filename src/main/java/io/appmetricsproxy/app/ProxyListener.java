package io.appmetricsproxy.app;

import io.appmetricsproxy.config.Config;
import io.appmetricsproxy.config.ConfigException;
import io.appmetricsproxy.serve.AccessPolicy;
import io.appmetricsproxy.serve.WebappContext;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.io.File;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

/**
 * Starts the proxy with the webapp and stops it, leaving no thread behind, on undeploy; declared in
 * web.xml with the filters and servlets it hands the proxy to.
 */
public final class ProxyListener implements ServletContextListener {
  private static final Logger logger = Logger.getLogger(ProxyListener.class.getName());

  private Proxy proxy;
  private Scheduler scheduler;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    Config config;
    try {
      config = Config.fromEnvironment(settings(context), defaultStore(context));
    } catch (ConfigException e) {
      logger.severe(e.getMessage());
      throw new IllegalStateException(e.getMessage(), e);
    }
    try {
      proxy = Proxy.create(config);
    } catch (RuntimeException e) {
      logger.severe("app-metrics-proxy not started: " + e.getMessage());
      throw e;
    }
    // For the filters and servlets of web.xml, which the container starts after this listener.
    WebappContext.publish(
        context, proxy.state(), AccessPolicy.of(config.access()), proxy.metrics().registry());
    try {
      scheduler =
          Schedules.start(
              proxy.cycle(),
              config.scrape().interval(),
              proxy.replication(),
              config.replication().interval(),
              proxy.identity());
    } catch (SchedulerException e) {
      proxy.close();
      throw new IllegalStateException("cannot start the scheduler: " + e.getMessage(), e);
    }
    proxy.watchEvents();
    logger.log(
        Level.INFO,
        "app-metrics-proxy started: engine {0}, every {1} s, ports {2}, path {3}, allowed {4},"
            + " basic auth {5}",
        new Object[] {
          config.docker().dockerHost(),
          config.scrape().interval().toSeconds(),
          config.docker().ports(),
          config.docker().metricsPath(),
          config.access().allowCidrs().isEmpty() ? "any address" : config.access().allowCidrs(),
          config.access().credentials().map(c -> "for " + c.username()).orElse("off")
        });
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    try {
      if (scheduler != null) {
        Schedules.stop(scheduler);
      }
    } catch (SchedulerException e) {
      logger.log(Level.WARNING, "Scheduler did not stop cleanly", e);
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  /** The environment, overridden by the context's init parameters (e.g. from context.xml). */
  static Map<String, String> settings(ServletContext context) {
    Map<String, String> settings = new HashMap<>(System.getenv());
    for (String name : Collections.list(context.getInitParameterNames())) {
      settings.put(name, context.getInitParameter(name));
    }
    return settings;
  }

  private static Path defaultStore(ServletContext context) {
    Object temp = context.getAttribute(ServletContext.TEMPDIR);
    File base = temp instanceof File f ? f : new File(System.getProperty("java.io.tmpdir"));
    return base.toPath().resolve("app-metrics-proxy-store");
  }
}
