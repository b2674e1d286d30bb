package io.appmetricsproxy.serve;

import io.appmetricsproxy.status.ProxyState;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.Optional;

/** {@code GET /}: the HTML index of what this node found and serves. */
@Path("/")
public final class IndexResource {
  private final ProxyState state;

  @Inject
  public IndexResource(ProxyState state) {
    this.state = state;
  }

  @GET
  @Produces("text/html; charset=utf-8")
  public String index(@HeaderParam(HttpHeaders.HOST) String host, @Context UriInfo uriInfo) {
    return IndexPage.render(
        state.view(), Instant.now(), Optional.of(ApiResource.hostPort(host, uriInfo)));
  }
}
