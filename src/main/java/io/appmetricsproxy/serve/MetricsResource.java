package io.appmetricsproxy.serve;

import io.appmetricsproxy.status.ProxyState;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

/**
 * {@code GET /{name}/metrics[?query]}: the latest scrape of that name (see {@link MetricsAnswer}
 * and {@link MetricsQuery}); in the webapp, {@link MetricsFastPath} answers first for plain names.
 */
@Path("{name}/metrics")
public final class MetricsResource {
  private final ProxyState state;

  @Inject
  public MetricsResource(ProxyState state) {
    this.state = state;
  }

  /** The query and headers an answer depends on. */
  public static final class Headers {
    /** For its query as sent, as the fast path reads it (JAX-RS re-encodes a bad escape). */
    @Context HttpServletRequest request;

    @HeaderParam(HttpHeaders.ACCEPT)
    String accept;

    @HeaderParam(HttpHeaders.ACCEPT_ENCODING)
    String acceptEncoding;

    @HeaderParam(HttpHeaders.IF_NONE_MATCH)
    String ifNoneMatch;

    @HeaderParam(HttpHeaders.IF_MODIFIED_SINCE)
    String ifModifiedSince;
  }

  @GET
  public Response get(@PathParam("name") String name, @BeanParam Headers headers) {
    return response(answer(name, headers), true);
  }

  @HEAD
  public Response head(@PathParam("name") String name, @BeanParam Headers headers) {
    return response(answer(name, headers), false);
  }

  private MetricsAnswer answer(String name, Headers h) {
    return MetricsAnswer.of(
        state.view(),
        name,
        h.request.getQueryString(),
        h.accept,
        h.acceptEncoding,
        h.ifNoneMatch,
        h.ifModifiedSince);
  }

  private static Response response(MetricsAnswer answer, boolean withBody) {
    Response.ResponseBuilder response = Response.status(answer.status());
    answer.headers().forEach(response::header);
    if (answer.status() == 304) {
      return response.build();
    }
    response.type(answer.contentType()).header(HttpHeaders.CONTENT_LENGTH, answer.length());
    if (withBody) {
      response.entity((StreamingOutput) out -> answer.body().writeTo(out));
    }
    return response.build();
  }
}
