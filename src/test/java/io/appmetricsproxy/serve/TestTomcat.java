package io.appmetricsproxy.serve;

import io.appmetricsproxy.status.ProxyState;
import jakarta.servlet.Filter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.glassfish.jersey.servlet.ServletContainer;

/** The embedded Tomcat of the serve tests: loopback, a free port, its base in the test's folder. */
public final class TestTomcat implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final Tomcat tomcat;

  private TestTomcat(Tomcat tomcat) {
    this.tomcat = tomcat;
  }

  /** A Tomcat whose contexts {@code contexts} adds, started. */
  public static TestTomcat start(Path base, Consumer<Tomcat> contexts) throws LifecycleException {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    tomcat.setPort(0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    contexts.accept(tomcat);
    tomcat.start();
    return new TestTomcat(tomcat);
  }

  /**
   * The proxy's resources of {@code state} at the root as web.xml declares them: fast path, then
   * JAX-RS.
   */
  public static TestTomcat webapp(Path base, ProxyState state) throws LifecycleException {
    return start(
        base, t -> filter(jersey(t, "", state), "metrics-fast-path", new MetricsFastPath(state)));
  }

  /**
   * A context at {@code path} whose every request goes to the JAX-RS application of {@code state}.
   */
  public static Context jersey(Tomcat tomcat, String path, ProxyState state) {
    Context context = tomcat.addContext(path, null);
    Tomcat.addServlet(context, "jersey", new ServletContainer(new ServeApplication(state)));
    context.addServletMappingDecoded("/*", "jersey");
    return context;
  }

  /**
   * A Tomcat with two contexts of the JAX-RS application of each state, by a suffix of their paths:
   * {@code /jaxrs<suffix>} alone and {@code /fast<suffix>} behind the {@link MetricsFastPath},
   * started.
   */
  public static TestTomcat metrics(Path base, Map<String, ProxyState> bySuffix)
      throws LifecycleException {
    return start(
        base,
        t ->
            bySuffix.forEach(
                (suffix, state) -> {
                  jersey(t, "/jaxrs" + suffix, state);
                  filter(jersey(t, "/fast" + suffix, state), "fast", new MetricsFastPath(state));
                }));
  }

  /** Puts {@code filter} in front of every request of {@code context}. */
  public static void filter(Context context, String name, Filter filter) {
    FilterDef def = new FilterDef();
    def.setFilter(filter);
    add(context, name, def);
  }

  /** Puts a filter of {@code type}, made by Tomcat as from web.xml, in front of every request. */
  public static void filter(Context context, String name, Class<? extends Filter> type) {
    FilterDef def = new FilterDef();
    def.setFilterClass(type.getName());
    add(context, name, def);
  }

  private static void add(Context context, String name, FilterDef def) {
    def.setFilterName(name);
    context.addFilterDef(def);
    FilterMap map = new FilterMap();
    map.setFilterName(name);
    map.addURLPattern("/*");
    context.addFilterMap(map);
  }

  public int port() {
    return tomcat.getConnector().getLocalPort();
  }

  /**
   * A request without a body to {@code path} of this Tomcat, with {@code headers} (name, value).
   */
  public HttpResponse<byte[]> send(String method, String path, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Override
  public void close() throws LifecycleException {
    tomcat.stop();
    tomcat.destroy();
  }
}
