package io.appmetricsproxy.serve;

import io.appmetricsproxy.status.ProxyState;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Answers GET and HEAD of {@code /<name>/metrics} for names that need no decoding without going
 * through JAX-RS, as {@link MetricsResource} would: what Prometheus asks most often costs a lookup
 * and a write; its query ({@link MetricsQuery}) too. Everything else goes on down the chain. Made
 * by the container from web.xml, it takes the state the listener published.
 */
public final class MetricsFastPath extends HttpFilter {
  private static final String SUFFIX = "/metrics";
  private ProxyState state;

  public MetricsFastPath() {}

  public MetricsFastPath(ProxyState state) {
    this.state = state;
  }

  @Override
  public void init() {
    if (state == null) {
      state = WebappContext.state(getServletContext());
    }
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    String name = name(req);
    boolean head = req.getMethod().equals("HEAD");
    if (name == null || !(head || req.getMethod().equals("GET"))) {
      chain.doFilter(req, res);
      return;
    }
    MetricsAnswer answer =
        MetricsAnswer.of(
            state.view(),
            name,
            req.getQueryString(),
            req.getHeader("Accept"),
            req.getHeader("Accept-Encoding"),
            req.getHeader("If-None-Match"),
            req.getHeader("If-Modified-Since"));
    res.setStatus(answer.status());
    answer.headers().forEach(res::setHeader);
    if (answer.status() == 304) {
      return;
    }
    res.setContentType(answer.contentType());
    res.setContentLength(answer.length());
    if (!head) {
      answer.body().writeTo(res.getOutputStream());
    }
  }

  /** The name of {@code /<name>/metrics} when it is one plain path segment, else null. */
  static String name(HttpServletRequest req) {
    String uri = req.getRequestURI();
    int start = req.getContextPath().length() + 1;
    if (!uri.endsWith(SUFFIX) || uri.length() <= start + SUFFIX.length()) {
      return null;
    }
    String name = uri.substring(start, uri.length() - SUFFIX.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' || c == '.')) {
        return null; // '/', '%', ';' and the rest: JAX-RS decodes and matches them
      }
    }
    return name.equals(".") || name.equals("..") ? null : name;
  }
}
