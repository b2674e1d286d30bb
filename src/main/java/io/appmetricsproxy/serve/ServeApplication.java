package io.appmetricsproxy.serve;

import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/** The JAX-RS application: the index, health and {@code /{name}/metrics}, all over one state. */
public final class ServeApplication extends ResourceConfig {
  public ServeApplication(ProxyState state) {
    register(IndexResource.class);
    register(HealthResource.class);
    register(MetricsResource.class);
    register(
        new AbstractBinder() {
          @Override
          protected void configure() {
            bind(state).to(ProxyState.class);
          }
        });
    property(ServerProperties.WADL_FEATURE_DISABLE, true);
    property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
  }
}
