package io.appmetricsproxy.serve;

import io.appmetricsproxy.status.ProxyState;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

/** Health endpoints named as Prometheus names its own: alive, and ready after a first cycle. */
@Path("-")
@Produces("text/plain; charset=utf-8")
public final class HealthResource {
  private final ProxyState state;

  @Inject
  public HealthResource(ProxyState state) {
    this.state = state;
  }

  @GET
  @Path("healthy")
  public String healthy() {
    return "app-metrics-proxy is Healthy.\n";
  }

  @GET
  @Path("ready")
  public Response ready() {
    return state.ready()
        ? Response.ok("app-metrics-proxy is Ready.\n").build()
        : Response.status(Response.Status.SERVICE_UNAVAILABLE)
            .entity("app-metrics-proxy is not ready: no cycle has completed yet.\n")
            .build();
  }
}
