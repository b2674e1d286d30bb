package io.appmetricsproxy.serve;

import io.appmetricsproxy.status.ProxyState;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.core.Context;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The JAX-RS application: the index, health, {@code /{name}/metrics} and the JSON API, all over one
 * state.
 */
public final class ServeApplication extends ResourceConfig {
  /** Made by Jersey, named by web.xml: over the state the listener published. */
  public ServeApplication(@Context ServletContext context) {
    this(WebappContext.state(context));
  }

  public ServeApplication(ProxyState state) {
    register(IndexResource.class);
    register(HealthResource.class);
    register(MetricsResource.class);
    register(ApiResource.class);
    register(JacksonFeature.class);
    register(new JsonMapperResolver());
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
