package io.appmetricsproxy.app;

import io.appmetricsproxy.config.Config;
import io.appmetricsproxy.config.ConfigException;
import io.appmetricsproxy.serve.AccessFilter;
import io.appmetricsproxy.serve.AccessPolicy;
import io.appmetricsproxy.serve.MetricsFastPath;
import io.appmetricsproxy.serve.ServeApplication;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.WebListener;
import java.io.File;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.jersey.servlet.ServletContainer;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

/** Starts the proxy with the webapp and stops it, leaving no thread behind, on undeploy. */
@WebListener
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
    // Registered before the servlets, for "/*": the index, /metrics and /-/... are behind it too.
    AccessPolicy.of(config.access())
        .ifPresent(
            policy ->
                context
                    .addFilter("access", new AccessFilter(policy))
                    .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*"));
    try {
      proxy = Proxy.create(config);
    } catch (RuntimeException e) {
      logger.severe("app-metrics-proxy not started: " + e.getMessage());
      throw e;
    }
    // After the access filter: the fast path of /<name>/metrics is behind it too.
    context
        .addFilter("metrics-fast-path", new MetricsFastPath(proxy.state()))
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
    ServletRegistration.Dynamic api =
        context.addServlet(
            "app-metrics-proxy", new ServletContainer(new ServeApplication(proxy.state())));
    api.addMapping("/*");
    api.setLoadOnStartup(1);
    context
        .addServlet("own-metrics", new PrometheusMetricsServlet(proxy.metrics().registry()))
        .addMapping("/metrics");
    try {
      scheduler =
          Schedules.start(
              proxy.cycle(),
              config.scrape().interval(),
              proxy.replication(),
              config.replication().interval());
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
