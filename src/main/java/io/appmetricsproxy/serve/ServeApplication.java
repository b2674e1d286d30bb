package io.appmetricsproxy.serve;

import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/** The JAX-RS application: the index, health and {@code /{name}/metrics}, all over one state. */
public final class ServeApplication extends ResourceConfig {
  public ServeApplication(ProxyState state) {
    register(new IndexResource(state));
    register(new HealthResource(state));
    register(new MetricsResource(state));
    property(ServerProperties.WADL_FEATURE_DISABLE, true);
    property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
  }
}
