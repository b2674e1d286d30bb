package io.appmetricsproxy.app;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Constants;
import org.apache.catalina.startup.ContextConfig;
import org.apache.catalina.startup.Tomcat;

/**
 * The WAR ({@code war.file}, else target/app-metrics-proxy.war) as the root webapp of an embedded
 * Tomcat on a free loopback port, its settings given as context parameters: the proxy on its real
 * schedule, served as in production.
 */
final class EmbeddedWebapp implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Tomcat tomcat;
  private final String root;

  private EmbeddedWebapp(Tomcat tomcat) {
    this.tomcat = tomcat;
    this.root = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort();
  }

  static EmbeddedWebapp start(Path base, int maxConnections, Map<String, String> settings)
      throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    tomcat.setPort(0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    tomcat.getConnector().setProperty("maxConnections", Integer.toString(maxConnections));
    Files.createDirectories(base.resolve("webapps"));
    tomcat.getHost();
    tomcat.start();
    StandardContext context = new StandardContext();
    context.setName("");
    context.setPath("");
    context.setDocBase(
        new File(System.getProperty("war.file", "target/app-metrics-proxy.war")).getAbsolutePath());
    ContextConfig config = new ContextConfig();
    config.setDefaultWebXml(Constants.NoDefaultWebXml);
    context.addLifecycleListener(config);
    settings.forEach(context::addParameter);
    tomcat.getHost().addChild(context);
    return new EmbeddedWebapp(tomcat);
  }

  /** {@code http://127.0.0.1:<port>}. */
  String root() {
    return root;
  }

  /** GET {@code path} (from the root), as text. */
  HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(root + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws LifecycleException {
    tomcat.stop();
    tomcat.destroy();
  }
}
