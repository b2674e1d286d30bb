package io.appmetricsproxy.serve;

import io.appmetricsproxy.status.ProxyState;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Optional;

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
  public ApiModel.Targets targets(
      @HeaderParam(HttpHeaders.HOST) String host, @Context UriInfo uriInfo) {
    return TargetsView.targets(state.view(), Optional.of(hostPort(host, uriInfo)));
  }

  @GET
  @Path("peers")
  public ApiModel.Peers peers() {
    return PeersView.peers(state.view());
  }

  /**
   * Targets are this node as the client reached it, or with {@code scope=swarm} each container at
   * the node that scraped it; paths include where the webapp is mounted.
   */
  @GET
  @Path("sd")
  public Response sd(
      @HeaderParam(HttpHeaders.HOST) String host,
      @QueryParam("scope") String scope,
      @Context UriInfo uriInfo) {
    String hostPort = hostPort(host, uriInfo);
    String basePath = uriInfo.getBaseUri().getRawPath().replaceAll("/+$", "");
    if (scope == null || scope.isEmpty()) {
      return Response.ok(SdView.names(state.view(), hostPort, basePath)).build();
    }
    if (scope.equals("swarm")) {
      return Response.ok(SdView.swarm(state.view(), hostPort, basePath)).build();
    }
    return Response.status(400)
        .type("text/plain; charset=utf-8")
        .entity("scope must be \"swarm\" or absent, found \"" + scope + "\"\n")
        .build();
  }

  /** This node as the client reached it: the Host header, else the base URI's authority. */
  static String hostPort(String host, UriInfo uriInfo) {
    return host == null || host.isBlank() ? uriInfo.getBaseUri().getRawAuthority() : host.strip();
  }
}
