package io.appmetricsproxy.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.config.Cidr;
import io.appmetricsproxy.config.Credentials;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The filter in a real embedded Tomcat on loopback, in front of a trivial servlet. */
class AccessFilterTest {
  private static final Optional<Credentials> PROM =
      Optional.of(new Credentials("prometheus", "s3cret"));

  @TempDir Path baseDir;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private TestTomcat tomcat;

  @AfterEach
  void stop() throws LifecycleException {
    if (tomcat != null) {
      tomcat.close();
    }
  }

  private int start(AccessPolicy policy) throws LifecycleException {
    tomcat =
        TestTomcat.start(
            baseDir,
            t -> {
              Context context = t.addContext("", baseDir.toString());
              TestTomcat.filter(context, "access", new AccessFilter(policy));
              Tomcat.addServlet(
                  context,
                  "hello",
                  new HttpServlet() {
                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse res)
                        throws IOException {
                      res.setContentType("text/plain");
                      res.getWriter().write("hello\n");
                    }
                  });
              context.addServletMappingDecoded("/*", "hello");
            });
    return tomcat.port();
  }

  private HttpResponse<String> get(int port, String path, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void basicAuthChallengesThenLetsThrough() throws Exception {
    int port = start(new AccessPolicy(List.of(), PROM));

    HttpResponse<String> missing = get(port, "/app/metrics", null);
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.headers().firstValue("WWW-Authenticate"))
        .contains("Basic realm=\"app-metrics-proxy\", charset=\"UTF-8\"");
    assertThat(missing.body()).isEqualTo("unauthorized\n");

    assertThat(get(port, "/-/healthy", AccessPolicyTest.basic("prometheus:wrong")).statusCode())
        .isEqualTo(401);

    HttpResponse<String> good = get(port, "/metrics", AccessPolicyTest.basic("prometheus:s3cret"));
    assertThat(good.statusCode()).isEqualTo(200);
    assertThat(good.body()).isEqualTo("hello\n");
  }

  @Test
  void aPeerOutsideTheRangesIsForbiddenEvenWithCredentials() throws Exception {
    int port = start(new AccessPolicy(List.of(Cidr.parse("10.0.0.0/8")), PROM));

    HttpResponse<String> response = get(port, "/", AccessPolicyTest.basic("prometheus:s3cret"));
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("text/plain");
    assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
    assertThat(response.body()).isEqualTo("forbidden\n");
  }

  @Test
  void xForwardedForIsNotTrusted() throws Exception {
    int port = start(new AccessPolicy(List.of(Cidr.parse("10.0.0.0/8")), Optional.empty()));

    HttpRequest spoofed =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
            .header("X-Forwarded-For", "10.1.2.3")
            .build();
    assertThat(client.send(spoofed, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(403);
  }

  @Test
  void anAllowedPeerWithTheCredentialsGetsThePage() throws Exception {
    int port = start(new AccessPolicy(List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1")), PROM));

    assertThat(get(port, "/", null).statusCode()).isEqualTo(401);
    assertThat(get(port, "/", AccessPolicyTest.basic("prometheus:s3cret")).statusCode())
        .isEqualTo(200);
  }
}
