package io.appmetricsproxy.serve;

import io.appmetricsproxy.exposition.Format;
import io.appmetricsproxy.exposition.Payload;
import io.appmetricsproxy.store.Served;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.Optional;

/**
 * {@code GET /{name}/metrics}: the latest scrape of that name, gzipped when the client accepts it.
 */
@Path("{name}/metrics")
public final class MetricsResource {
  private final ProxyState state;

  @Inject
  public MetricsResource(ProxyState state) {
    this.state = state;
  }

  @GET
  public Response get(
      @PathParam("name") String name,
      @HeaderParam(HttpHeaders.ACCEPT) String accept,
      @HeaderParam(HttpHeaders.ACCEPT_ENCODING) String acceptEncoding) {
    Optional<Served> served = state.view().snapshot().get(name);
    if (served.isEmpty()) {
      return Response.status(Response.Status.NOT_FOUND)
          .type("text/plain; charset=utf-8")
          .entity("no metrics for \"" + name + "\" on this node\n")
          .build();
    }
    Format format = Negotiation.format(accept);
    Payload payload = served.get().payload(format);
    Response.ResponseBuilder response =
        Response.ok()
            .type(payload.format().contentType())
            .header("Vary", "Accept, Accept-Encoding");
    if (Negotiation.gzip(acceptEncoding)) {
      byte[] gzip = served.get().gzip(format);
      return response
          .header("Content-Encoding", "gzip")
          .header(HttpHeaders.CONTENT_LENGTH, gzip.length)
          .entity((StreamingOutput) out -> out.write(gzip))
          .build();
    }
    return response
        .header(HttpHeaders.CONTENT_LENGTH, payload.size())
        .entity((StreamingOutput) payload::writeTo)
        .build();
  }
}
