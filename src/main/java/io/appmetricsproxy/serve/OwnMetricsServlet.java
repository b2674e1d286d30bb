package io.appmetricsproxy.serve;

import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import jakarta.servlet.GenericServlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/**
 * {@code /metrics}: client_java's servlet over the registry the listener published (its own no-arg
 * constructor would serve the JVM-wide default registry, shared by every webapp).
 */
public final class OwnMetricsServlet extends GenericServlet {
  private transient PrometheusMetricsServlet exporter;

  @Override
  public void init() throws ServletException {
    exporter = new PrometheusMetricsServlet(WebappContext.ownMetrics(getServletContext()));
    exporter.init(getServletConfig());
  }

  @Override
  public void service(ServletRequest req, ServletResponse res)
      throws ServletException, IOException {
    exporter.service(req, res);
  }

  @Override
  public void destroy() {
    if (exporter != null) {
      exporter.destroy();
    }
  }
}
