package io.appmetricsproxy.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appmetricsproxy.testing.TestEngine;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Constants;
import org.apache.catalina.startup.ContextConfig;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deploying and undeploying the WAR again and again leaves no thread and no registry behind. */
class UndeployIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path base;
  private Tomcat tomcat;

  @BeforeEach
  void start() throws Exception {
    tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    tomcat.setPort(0);
    tomcat.getConnector();
    Files.createDirectories(base.resolve("webapps"));
    tomcat.getHost();
    tomcat.start();
  }

  @AfterEach
  void stop() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }

  @Test
  void threeDeploymentsInARowLeaveNoThreadBehind() throws Exception {
    String engine = TestEngine.get().dockerHost();
    File war = new File(System.getProperty("war.file", "target/app-metrics-proxy.war"));
    int replicationPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      replicationPort = s.getLocalPort();
    }
    for (int round = 1; round <= 3; round++) {
      Path store = Files.createDirectories(base.resolve("store-" + round));
      StandardContext context = new StandardContext();
      context.setName("/amp");
      context.setPath("/amp");
      context.setDocBase(war.getAbsolutePath());
      ContextConfig config = new ContextConfig();
      config.setDefaultWebXml(Constants.NoDefaultWebXml);
      context.addLifecycleListener(config);
      context.addParameter("DOCKER_HOST", engine);
      context.addParameter("SCRAPE_INTERVAL", "1");
      context.addParameter("STORE_DIR", store.toString());
      // replication on, with itself as peer: the SSH server and client run every second
      context.addParameter("SSHPASS", "undeploy-it");
      context.addParameter("REPLICATION_PORT", Integer.toString(replicationPort));
      context.addParameter("REPLICATION_PEERS", "127.0.0.1:" + replicationPort);
      context.addParameter("REPLICATION_INTERVAL", "1");
      tomcat.getHost().addChild(context);
      assertThat(context.getState()).isEqualTo(LifecycleState.STARTED);
      ClassLoader webapp = context.getLoader().getClassLoader();
      await().atMost(Duration.ofSeconds(20)).until(() -> status("/amp/-/ready") == 200);
      assertThat(status("/amp/metrics")).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> body("/amp/api/peers").contains("NODE_NAME"));

      tomcat.getHost().removeChild(context);

      String deployment = "deployment " + round;
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () -> assertThat(threadsOf(webapp)).as("threads left by %s", deployment).isEmpty());
    }
  }

  private String body(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + path);
    return HTTP.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private int status(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + path);
    return HTTP.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** Live threads that run the webapp's code or carry its class loader. */
  private static List<String> threadsOf(ClassLoader webapp) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(t -> t.getContextClassLoader() == webapp || t.getName().startsWith("amp-"))
        .map(t -> t.getName() + " " + t.getState())
        .toList();
  }
}
