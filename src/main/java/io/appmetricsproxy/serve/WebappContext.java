package io.appmetricsproxy.serve;

import io.appmetricsproxy.status.ProxyState;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.ServletContext;
import java.util.Optional;

/**
 * The running proxy's parts as attributes of the servlet context: the listener publishes them, and
 * the filters and servlets that web.xml declares (made by the container, which starts them after
 * the listeners) take them from there.
 */
public final class WebappContext {
  private static final String STATE = "io.appmetricsproxy.state";
  private static final String ACCESS_POLICY = "io.appmetricsproxy.accessPolicy";
  private static final String OWN_METRICS = "io.appmetricsproxy.ownMetrics";

  private WebappContext() {}

  /** {@code policy} empty: access is open, the access filter lets every request through. */
  public static void publish(
      ServletContext context,
      ProxyState state,
      Optional<AccessPolicy> policy,
      PrometheusRegistry ownMetrics) {
    context.setAttribute(STATE, state);
    policy.ifPresent(p -> context.setAttribute(ACCESS_POLICY, p));
    context.setAttribute(OWN_METRICS, ownMetrics);
  }

  static ProxyState state(ServletContext context) {
    return published(context, STATE, ProxyState.class);
  }

  static Optional<AccessPolicy> accessPolicy(ServletContext context) {
    return Optional.ofNullable((AccessPolicy) context.getAttribute(ACCESS_POLICY));
  }

  static PrometheusRegistry ownMetrics(ServletContext context) {
    return published(context, OWN_METRICS, PrometheusRegistry.class);
  }

  private static <T> T published(ServletContext context, String name, Class<T> type) {
    Object value = context.getAttribute(name);
    if (!type.isInstance(value)) {
      throw new IllegalStateException(
          "servlet context attribute " + name + " not set: the proxy's listener did not start it");
    }
    return type.cast(value);
  }
}
