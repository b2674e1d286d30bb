package io.appmetricsproxy.serve;

import io.appmetricsproxy.status.ProxyState;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;

/**
 * {@code GET /api/targets} and {@code /api/peers}: what the index shows, as JSON; {@code GET
 * /api/sd}: the served names as Prometheus http_sd_configs target groups.
 */
@Path("api")
@Produces(MediaType.APPLICATION_JSON)
public final class ApiResource {
  private final ProxyState state;

  @Inject
  public ApiResource(ProxyState state) {
    this.state = state;
  }

  @GET
  @Path("targets")
  public ApiModel.Targets targets() {
    return TargetsView.targets(state.view());
  }

  @GET
  @Path("peers")
  public ApiModel.Peers peers() {
    return PeersView.peers(state.view());
  }

  /** Targets are this node as the client reached it; paths include where the webapp is mounted. */
  @GET
  @Path("sd")
  public List<ApiModel.SdGroup> sd(
      @HeaderParam(HttpHeaders.HOST) String host, @Context UriInfo uriInfo) {
    URI base = uriInfo.getBaseUri();
    String hostPort = host == null || host.isBlank() ? base.getRawAuthority() : host.strip();
    String basePath = base.getRawPath().replaceAll("/+$", "");
    return TargetsView.sd(state.view(), hostPort, basePath);
  }
}
