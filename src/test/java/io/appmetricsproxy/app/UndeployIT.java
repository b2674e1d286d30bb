package io.appmetricsproxy.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appmetricsproxy.testing.TestEngine;
import java.io.File;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.core.JreMemoryLeakPreventionListener;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.core.ThreadLocalLeakPreventionListener;
import org.apache.catalina.startup.Constants;
import org.apache.catalina.startup.ContextConfig;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploying and undeploying the WAR ten times in one running Tomcat leaves no thread, no registry,
 * no class loader and no heap behind.
 */
class UndeployIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static final int ROUNDS = 10;
  private static final long HEAP_MARGIN = 16L << 20;

  @TempDir Path base;
  private Tomcat tomcat;

  @BeforeEach
  void start() throws Exception {
    tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    tomcat.setPort(0);
    tomcat.getConnector();
    // as tomcat/server.xml: Tomcat's own leak prevention (renews request threads after an undeploy)
    tomcat.getServer().addLifecycleListener(new JreMemoryLeakPreventionListener());
    tomcat.getServer().addLifecycleListener(new ThreadLocalLeakPreventionListener());
    Files.createDirectories(base.resolve("webapps"));
    tomcat.getHost();
    tomcat.start();
  }

  @AfterEach
  void stop() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }

  /** Each undeployment is checked for threads left behind as it happens (deployAndUndeploy). */
  @Test
  void tenDeploymentsInARowLeaveNoThreadNoClassLoaderAndNoHeapBehind() throws Exception {
    Rounds rounds = deployTenTimes();
    rounds.print();
    assertThat(rounds.reachable())
        .as("webapp class loaders still reachable after %d undeployments", ROUNDS)
        .isZero();
    assertThat(rounds.after).as("heap after GC").isLessThan(rounds.baseline + HEAP_MARGIN);
  }

  private record Rounds(List<WeakReference<ClassLoader>> loaders, long baseline, long after) {
    long reachable() {
      return loaders.stream().filter(r -> r.get() != null).count();
    }

    void print() {
      System.err.printf(
          "[undeploy] heap after GC: %d KB after deployment 1, %d KB after deployment %d;"
              + " class loaders still reachable: %d of %d%n",
          baseline >> 10, after >> 10, ROUNDS, reachable(), ROUNDS);
    }
  }

  /**
   * Ten deployments, each ready, serving its own metrics, then undeployed with no thread left; the
   * heap after GC measured after the first and the last.
   */
  private Rounds deployTenTimes() throws Exception {
    String engine = TestEngine.get().dockerHost();
    File war = new File(System.getProperty("war.file", "target/app-metrics-proxy.war"));
    int replicationPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      replicationPort = s.getLocalPort();
    }
    List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
    long baseline = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      loaders.add(deployAndUndeploy(round, engine, war, replicationPort));
      if (round == 1) { // the first deployment warms up the JVM (JIT, Tomcat's own caches)
        baseline = usedHeapAfterGc();
      }
    }
    return new Rounds(loaders, baseline, usedHeapAfterGc());
  }

  /** One deployment, ready and serving, then undeployed; its class loader, weakly held. */
  private WeakReference<ClassLoader> deployAndUndeploy(
      int round, String engine, File war, int replicationPort) throws Exception {
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
    // a second registration of a metric would fail the start; every deployment counts afresh
    assertThat(body("/amp/metrics")).contains("app_metrics_proxy_cycles_total");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> body("/amp/api/peers").contains("NODE_NAME"));

    tomcat.getHost().removeChild(context);

    String deployment = "deployment " + round;
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> assertThat(threadsOf(webapp)).as("threads left by %s", deployment).isEmpty());
    return new WeakReference<>(webapp);
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return rt.totalMemory() - rt.freeMemory();
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
