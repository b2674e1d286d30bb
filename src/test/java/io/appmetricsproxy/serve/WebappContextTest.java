package io.appmetricsproxy.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.config.Cidr;
import io.appmetricsproxy.status.ProxyState;
import io.appmetricsproxy.status.SelfMetrics;
import io.appmetricsproxy.status.Snapshot;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The filters and servlets declared by class name, as web.xml declares them, made by Tomcat and
 * given the state a listener published before them.
 */
class WebappContextTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path base;
  private TestTomcat tomcat;

  @AfterEach
  void stop() throws Exception {
    tomcat.close();
  }

  @Test
  void theContainerMadeFiltersAndServletsServeThePublishedStateOpenToAllWithoutAPolicy()
      throws Exception {
    ProxyState state = new ProxyState(Snapshot.empty());
    IndexFixture.publish(state, Instant.now());
    start(state, Optional.empty());

    assertThat(get("/").body()).contains("<h1>app-metrics-proxy</h1>", "api-1");
    HttpResponse<String> metrics = get("/web/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("container=");
    assertThat(get("/-/ready").statusCode()).isEqualTo(200);
    assertThat(get("/metrics").body()).contains("app_metrics_proxy_cycles_total");
  }

  @Test
  void thePublishedPolicyIsInFrontOfEverything() throws Exception {
    start(
        new ProxyState(Snapshot.empty()),
        Optional.of(new AccessPolicy(List.of(Cidr.parse("10.0.0.0/8")), Optional.empty())));

    for (String path : List.of("/", "/web/metrics", "/metrics", "/-/healthy")) {
      assertThat(get(path).statusCode()).as(path).isEqualTo(403);
    }
  }

  private void start(ProxyState state, Optional<AccessPolicy> policy) throws Exception {
    tomcat =
        TestTomcat.start(
            base,
            t -> {
              Context context = t.addContext("", null);
              ServletContextListener listener =
                  new ServletContextListener() {
                    @Override
                    public void contextInitialized(ServletContextEvent event) {
                      WebappContext.publish(
                          event.getServletContext(), state, policy, new SelfMetrics().registry());
                    }
                  };
              context.addServletContainerInitializer(
                  (classes, servletContext) -> servletContext.addListener(listener), null);
              TestTomcat.filter(context, "access", AccessFilter.class);
              TestTomcat.filter(context, "metrics-fast-path", MetricsFastPath.class);
              Wrapper jersey = servlet(context, "app-metrics-proxy", ServletContainer.class, "/*");
              jersey.addInitParameter(
                  "jakarta.ws.rs.Application", ServeApplication.class.getName());
              jersey.setLoadOnStartup(1);
              servlet(context, "own-metrics", OwnMetricsServlet.class, "/metrics");
            });
  }

  private static Wrapper servlet(Context context, String name, Class<?> type, String pattern) {
    Wrapper wrapper = context.createWrapper();
    wrapper.setName(name);
    wrapper.setServletClass(type.getName());
    context.addChild(wrapper);
    context.addServletMappingDecoded(pattern, name);
    return wrapper;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tomcat.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
