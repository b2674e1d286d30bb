package io.appmetricsproxy.serve;

import io.appmetricsproxy.exposition.Format;
import io.appmetricsproxy.exposition.Payload;
import io.appmetricsproxy.store.Served;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.Optional;

/**
 * {@code GET /{name}/metrics}: the latest scrape of that name from memory, gzipped when the client
 * accepts it (compressed once per scrape), with ETag and Last-Modified; HEAD and conditional
 * requests as HTTP says.
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
      @HeaderParam(HttpHeaders.ACCEPT_ENCODING) String acceptEncoding,
      @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
      @HeaderParam(HttpHeaders.IF_MODIFIED_SINCE) String ifModifiedSince) {
    return answer(name, accept, acceptEncoding, ifNoneMatch, ifModifiedSince, true);
  }

  @HEAD
  public Response head(
      @PathParam("name") String name,
      @HeaderParam(HttpHeaders.ACCEPT) String accept,
      @HeaderParam(HttpHeaders.ACCEPT_ENCODING) String acceptEncoding,
      @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
      @HeaderParam(HttpHeaders.IF_MODIFIED_SINCE) String ifModifiedSince) {
    return answer(name, accept, acceptEncoding, ifNoneMatch, ifModifiedSince, false);
  }

  private Response answer(
      String name,
      String accept,
      String acceptEncoding,
      String ifNoneMatch,
      String ifModifiedSince,
      boolean withBody) {
    Optional<Served> served = state.view().snapshot().get(name);
    if (served.isEmpty()) {
      return Response.status(Response.Status.NOT_FOUND)
          .type("text/plain; charset=utf-8")
          .entity("no metrics for \"" + name + "\" on this node\n")
          .build();
    }
    Format format = Negotiation.format(accept);
    Payload payload = served.get().payload(format);
    boolean gzip = Negotiation.gzip(acceptEncoding);
    String etag = "\"" + payload.digest() + (gzip ? "-gz" : "") + "\"";
    String lastModified = Conditional.httpDate(served.get().lastModified());
    boolean current =
        Conditional.notModified(ifNoneMatch, ifModifiedSince, etag, served.get().lastModified());
    Response.ResponseBuilder response =
        (current ? Response.notModified() : Response.ok())
            .header(HttpHeaders.ETAG, etag)
            .header(HttpHeaders.LAST_MODIFIED, lastModified)
            .header("Vary", "Accept, Accept-Encoding");
    if (current) {
      return response.build();
    }
    response.type(payload.format().contentType());
    if (gzip) {
      byte[] compressed = payload.gzip();
      response
          .header("Content-Encoding", "gzip")
          .header(HttpHeaders.CONTENT_LENGTH, compressed.length);
      return withBody
          ? response.entity((StreamingOutput) out -> out.write(compressed)).build()
          : response.build();
    }
    response.header(HttpHeaders.CONTENT_LENGTH, payload.size());
    return withBody
        ? response.entity((StreamingOutput) payload::writeTo).build()
        : response.build();
  }
}
