package io.appmetricsproxy.testing;

import com.github.dockerjava.api.exception.NotFoundException;
import io.appmetricsproxy.testing.nhapp.NativeHistogramsApp;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * A Java application as an image on the test engine, made here (there is no registry): a runtime
 * jlink'ed from the test JVM's JDK, the host libraries it links as ldd finds them, and the
 * application's jars and classes. Tagged with a digest of all of it, so that an engine that has the
 * tag reuses the image.
 */
public final class JavaImage {
  /** Where the runtime sits in the image. */
  static final String JAVA_HOME = "opt/java";

  /** Where the application's jars and classes sit in the image. */
  static final String APP = "app";

  /** What client_java's HTTP exporter needs (jdeps --print-module-deps of its jars). */
  private static final List<String> MODULES =
      List.of("java.base", "java.logging", "jdk.httpserver", "jdk.unsupported");

  private static final Set<String> READY = ConcurrentHashMap.newKeySet();

  private final String repository;
  private final List<Path> jars;
  private final Path classes;
  private final String packageDir;

  private JavaImage(String repository, List<Path> jars, Path classes, String packageDir) {
    this.repository = repository;
    this.jars = List.copyOf(jars);
    this.classes = classes;
    this.packageDir = packageDir;
  }

  /**
   * The image of {@link NativeHistogramsApp}: client_java's jars from this JVM's class path and the
   * classes of its package, nothing of the project.
   */
  public static String nativeHistogramsApp(TestEngine engine) {
    List<Path> jars =
        Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
            .map(Path::of)
            .filter(p -> p.getFileName().toString().startsWith("prometheus-metrics-"))
            .filter(p -> p.toString().endsWith(".jar"))
            .sorted()
            .toList();
    if (jars.stream().noneMatch(p -> p.toString().contains("exporter-httpserver"))) {
      throw new IllegalStateException("no prometheus-metrics-exporter-httpserver jar on " + jars);
    }
    return new JavaImage("amp-test-nhapp", jars, classesOf(NativeHistogramsApp.class), packageDir())
        .on(engine);
  }

  /** The command that runs {@code main} with {@code args} in such an image. */
  public static String[] command(Class<?> main, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "/" + JAVA_HOME + "/bin/java",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-XX:-UsePerfData",
                "-Xmx64m",
                "-cp",
                "/" + APP + "/lib/*:/" + APP + "/classes",
                main.getName()));
    command.addAll(List.of(args));
    return command.toArray(String[]::new);
  }

  private static String packageDir() {
    return NativeHistogramsApp.class.getPackageName().replace('.', '/');
  }

  private static Path classesOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Imports the image into {@code engine} unless it has this tag already; returns its name. */
  private String on(TestEngine engine) {
    String image = repository + ":" + digest();
    if (READY.contains(engine.dockerHost() + " " + image)) {
      return image;
    }
    synchronized (JavaImage.class) {
      try {
        engine.client().inspectImageCmd(image).exec();
      } catch (NotFoundException missing) {
        long started = System.nanoTime();
        Tar tar = rootfs();
        long built = System.nanoTime();
        TestImages.importTar(engine, tar.stream(), image);
        engine.client().inspectImageCmd(image).exec(); // fails loudly if the import did not tag it
        System.err.printf(
            "[test-engine] built %s in %d ms, imported in %d ms%n",
            image, (built - started) / 1_000_000, (System.nanoTime() - built) / 1_000_000);
      }
      READY.add(engine.dockerHost() + " " + image);
      return image;
    }
  }

  /** A digest of the runtime's JDK and modules and of the application's files. */
  private String digest() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String runtime =
          System.getProperty("java.home") + " " + Runtime.version() + " " + MODULES + "\n";
      sha.update(runtime.getBytes(StandardCharsets.UTF_8));
      for (Path jar : jars) {
        sha.update(jar.getFileName().toString().getBytes(StandardCharsets.UTF_8));
        sha.update(Files.readAllBytes(jar));
      }
      for (Path file : appClasses()) {
        sha.update(classes.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
        sha.update(Files.readAllBytes(file));
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<Path> appClasses() throws IOException {
    try (Stream<Path> files = Files.walk(classes.resolve(packageDir))) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private Tar rootfs() {
    Path work = null;
    try {
      work = Files.createTempDirectory("amp-java-image-");
      Path runtime = work.resolve("java");
      jlink(runtime);
      Tar tar = new Tar().dir("tmp", 01777);
      addTree(tar, runtime, JAVA_HOME);
      for (String lib : linkedLibraries(runtime)) {
        tar.file(lib.substring(1), Files.readAllBytes(Path.of(lib)), 0755);
      }
      for (Path jar : jars) {
        tar.file(APP + "/lib/" + jar.getFileName(), Files.readAllBytes(jar), 0644);
      }
      for (Path file : appClasses()) {
        tar.file(APP + "/classes/" + classes.relativize(file), Files.readAllBytes(file), 0644);
      }
      return tar;
    } catch (IOException e) {
      throw new UncheckedIOException("could not assemble " + repository, e);
    } finally {
      if (work != null) {
        try {
          Sys.deleteTree(work);
        } catch (IOException ignored) {
          // a temp folder left behind
        }
      }
    }
  }

  /** jlink of {@link #MODULES} from this JVM's JDK into {@code output}. */
  private static void jlink(Path output) throws IOException {
    Path jmods = Path.of(System.getProperty("java.home"), "jmods");
    ToolProvider jlink = ToolProvider.findFirst("jlink").orElse(null);
    if (jlink == null || !Files.isRegularFile(jmods.resolve("java.base.jmod"))) {
      throw new IOException(
          "the test JVM is no JDK with jmods ("
              + jmods
              + "): install openjdk-17-jdk-headless and run the tests with it");
    }
    StringWriter log = new StringWriter();
    PrintWriter out = new PrintWriter(log);
    int code =
        jlink.run(
            out,
            out,
            "--module-path",
            jmods.toString(),
            "--add-modules",
            String.join(",", MODULES),
            "--strip-debug",
            "--no-man-pages",
            "--no-header-files",
            "--output",
            output.toString());
    if (code != 0) {
      throw new IOException("jlink exited " + code + ": " + log);
    }
  }

  /** The host libraries (absolute paths) that the runtime's programs and libraries link. */
  private static Set<String> linkedLibraries(Path runtime) throws IOException {
    List<String> command = new ArrayList<>(List.of("ldd"));
    try (Stream<Path> files = Files.walk(runtime)) {
      files
          .filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".so") || p.getParent().endsWith("bin"))
          .map(Path::toString)
          .forEach(command::add);
    }
    Sys.Result ldd = Sys.run(command.toArray(String[]::new));
    Set<String> libraries = new TreeSet<>();
    for (String line : ldd.output().split("\n")) {
      String l = line.trim();
      if (l.contains("not found") && !l.startsWith("libjvm.so ")) { // the launcher loads libjvm
        throw new IOException("ldd: " + l);
      }
      int arrow = l.indexOf("=> /");
      String path =
          arrow >= 0
              ? l.substring(arrow + 3).split(" ")[0]
              : l.startsWith("/") ? l.split(" ")[0] : "";
      if (path.startsWith("/") && !path.startsWith(runtime.toString()) && !path.endsWith(":")) {
        libraries.add(path);
      }
    }
    if (libraries.stream().noneMatch(l -> l.contains("libc.so"))) {
      throw new IOException("ldd found no libc: " + ldd.output());
    }
    return libraries;
  }

  /** Adds the regular files under {@code dir} at {@code at}; symbolic links (legal notes) not. */
  private static void addTree(Tar tar, Path dir, String at) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted().toList()) {
        if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          tar.file(
              at + "/" + dir.relativize(file),
              Files.readAllBytes(file),
              Files.isExecutable(file) ? 0755 : 0644);
        }
      }
    }
  }
}
