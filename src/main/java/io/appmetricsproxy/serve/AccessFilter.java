package io.appmetricsproxy.serve;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Applies an {@link AccessPolicy} to every request before any servlet sees it; made by the
 * container from web.xml, it takes the policy the listener published, and without one lets every
 * request through.
 */
public final class AccessFilter extends HttpFilter {
  static final String CHALLENGE = "Basic realm=\"app-metrics-proxy\", charset=\"UTF-8\"";
  private static final Logger logger = Logger.getLogger(AccessFilter.class.getName());

  private static final AccessPolicy OPEN = new AccessPolicy(List.of(), Optional.empty());

  private transient AccessPolicy policy;

  public AccessFilter() {}

  public AccessFilter(AccessPolicy policy) {
    this.policy = policy;
  }

  @Override
  public void init() {
    if (policy == null) {
      policy = WebappContext.accessPolicy(getServletContext()).orElse(OPEN);
    }
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    String remote = req.getRemoteAddr();
    switch (policy.decide(remote, req.getHeader("Authorization"))) {
      case ALLOW -> chain.doFilter(req, res);
      case FORBIDDEN -> {
        // Never the Authorization header: it holds the password, if only base64-encoded.
        logger.log(Level.FINE, "403 for {0}: address not allowed", remote);
        refuse(res, HttpServletResponse.SC_FORBIDDEN, "forbidden\n");
      }
      case UNAUTHORIZED -> {
        logger.log(Level.FINE, "401 for {0}: credentials missing or wrong", remote);
        res.setHeader("WWW-Authenticate", CHALLENGE);
        refuse(res, HttpServletResponse.SC_UNAUTHORIZED, "unauthorized\n");
      }
    }
  }

  private static void refuse(HttpServletResponse res, int status, String body) throws IOException {
    res.setStatus(status);
    res.setContentType("text/plain; charset=utf-8");
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    res.setContentLength(bytes.length);
    res.getOutputStream().write(bytes);
  }
}
