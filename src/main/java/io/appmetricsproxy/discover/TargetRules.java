package io.appmetricsproxy.discover;

import io.appmetricsproxy.config.DockerSettings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns the running containers of an engine into targets: naming, labels, ports, address, and
 * whether the entry is shared: not for a task of a global Swarm service (whose task name, label
 * {@value #TASK_NAME_LABEL}, is {@code <service>.<node id>.<task id>} rather than {@code
 * <service>.<slot>.<task id>}, which a worker reads without listing services), nor with label
 * {@value #REPLICATE_LABEL}=false; every other container is shared.
 */
final class TargetRules {
  static final String NAME_LABEL = "app-metrics-proxy.name";
  static final String SCRAPE_LABEL = "prometheus.io/scrape";
  static final String PORT_LABEL = "prometheus.io/port";
  static final String PATH_LABEL = "prometheus.io/path";
  static final String SWARM_SERVICE_LABEL = "com.docker.swarm.service.name";
  static final String STACK_LABEL = "com.docker.stack.namespace";
  static final String COMPOSE_SERVICE_LABEL = "com.docker.compose.service";
  static final String COMPOSE_PROJECT_LABEL = "com.docker.compose.project";
  static final String TASK_NAME_LABEL = "com.docker.swarm.task.name";
  static final String TASK_ID_LABEL = "com.docker.swarm.task.id";
  static final String REPLICATE_LABEL = "app-metrics-proxy.replicate";

  /** The host as seen from a proxy that runs on the host itself or on the host network. */
  static final String LOOPBACK = "127.0.0.1";

  private final List<Integer> ports;
  private final String metricsPath;
  private final Optional<String> cluster;

  TargetRules(DockerSettings settings) {
    this(settings.ports(), settings.metricsPath(), settings.clusterName());
  }

  TargetRules(List<Integer> ports, String metricsPath) {
    this(ports, metricsPath, Optional.empty());
  }

  TargetRules(List<Integer> ports, String metricsPath, Optional<String> cluster) {
    this.ports = List.copyOf(ports);
    this.metricsPath = metricsPath;
    this.cluster = cluster;
  }

  /** Every container but the proxy's own ({@code selfId}) becomes a target or a skipped entry. */
  Discovery classify(String node, List<ContainerInfo> containers, Optional<String> selfId) {
    Optional<ContainerInfo> self =
        selfId.flatMap(id -> containers.stream().filter(c -> c.id().startsWith(id)).findFirst());
    List<Target> targets = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    for (ContainerInfo c : containers) {
      if (self.isPresent() && self.get().id().equals(c.id())) {
        continue;
      }
      Optional<String> reason = skipReason(c);
      Optional<String> host = reason.isPresent() ? Optional.empty() : address(c, self);
      if (reason.isEmpty() && host.isEmpty()) {
        reason = Optional.of("no network address (network mode \"" + c.networkMode() + "\")");
      }
      if (reason.isPresent()) {
        skipped.add(new Skipped(c.id(), c.name(), reason.get()));
      } else {
        targets.add(
            new Target(
                c.id(),
                c.name(),
                name(c),
                host.get(),
                ports(c),
                path(c),
                shared(c),
                labels(c, cluster)));
      }
    }
    return new Discovery(node, targets, skipped);
  }

  private Optional<String> skipReason(ContainerInfo c) {
    Map<String, String> labels = c.labels();
    if ("false".equals(labels.getOrDefault(SCRAPE_LABEL, "").strip().toLowerCase(Locale.ROOT))) {
      return Optional.of("label " + SCRAPE_LABEL + "=false");
    }
    String name = name(c);
    if (name.isEmpty()
        || name.equals(".")
        || name.equals("..")
        || name.contains("/")
        || name.chars().anyMatch(ch -> ch < ' ' || ch == 127)) {
      return Optional.of("name \"" + name + "\" cannot be used in a URL path");
    }
    String port = labels.get(PORT_LABEL);
    if (port != null && parsePort(port.strip()).isEmpty()) {
      return Optional.of("label " + PORT_LABEL + "=\"" + port + "\" is not a port number");
    }
    String path = labels.get(PATH_LABEL);
    if (path != null && !path.strip().startsWith("/")) {
      return Optional.of("label " + PATH_LABEL + "=\"" + path + "\" does not start with \"/\"");
    }
    return Optional.empty();
  }

  /** False for a task of a global service or with label {@value #REPLICATE_LABEL}=false. */
  static boolean shared(ContainerInfo c) {
    String replicate = c.labels().getOrDefault(REPLICATE_LABEL, "");
    return !"false".equals(replicate.strip().toLowerCase(Locale.ROOT)) && !globalTask(c.labels());
  }

  /**
   * True when the task name's middle part, between the service name and the task id, is a node id
   * (global mode) rather than a slot number (replicated mode).
   */
  static boolean globalTask(Map<String, String> labels) {
    return taskMiddle(labels).filter(m -> !slot(m)).isPresent();
  }

  private static boolean slot(String middle) {
    return middle.chars().allMatch(ch -> ch >= '0' && ch <= '9');
  }

  /**
   * Where the container runs, as service discovery labels it: the Swarm service (without its stack)
   * and stack, the task's slot for a replicated service, the Compose project and service, and the
   * cluster that CLUSTER_NAME names.
   */
  static Map<String, String> labels(ContainerInfo c, Optional<String> cluster) {
    Map<String, String> labels = c.labels();
    Map<String, String> sd = new TreeMap<>();
    String service = labels.get(SWARM_SERVICE_LABEL);
    String stack = labels.get(STACK_LABEL);
    if (service != null && !service.isBlank()) {
      boolean prefixed = stack != null && !stack.isEmpty() && service.startsWith(stack + "_");
      sd.put("service", prefixed ? service.substring(stack.length() + 1) : service);
      taskMiddle(labels).filter(TargetRules::slot).ifPresent(s -> sd.put("task_slot", s));
    }
    if (stack != null && !stack.isBlank()) {
      sd.put("stack", stack);
    }
    putIfSet(sd, "compose_project", labels.get(COMPOSE_PROJECT_LABEL));
    putIfSet(sd, "compose_service", labels.get(COMPOSE_SERVICE_LABEL));
    cluster.ifPresent(name -> sd.put("cluster", name));
    return sd;
  }

  private static void putIfSet(Map<String, String> labels, String key, String value) {
    if (value != null && !value.isBlank()) {
      labels.put(key, value.strip());
    }
  }

  /** The task name's middle part: a slot number or a node id; empty for no Swarm task. */
  private static Optional<String> taskMiddle(Map<String, String> labels) {
    String taskName = labels.get(TASK_NAME_LABEL);
    if (taskName == null || taskName.isBlank()) {
      return Optional.empty();
    }
    String middle = taskName;
    String service = labels.getOrDefault(SWARM_SERVICE_LABEL, "");
    String taskId = labels.getOrDefault(TASK_ID_LABEL, "");
    if (!service.isEmpty() && middle.startsWith(service + ".")) {
      middle = middle.substring(service.length() + 1);
    } else {
      middle = middle.substring(0, Math.max(0, middle.lastIndexOf('.')));
      middle = middle.substring(middle.lastIndexOf('.') + 1);
    }
    if (!taskId.isEmpty() && middle.endsWith("." + taskId)) {
      middle = middle.substring(0, middle.length() - taskId.length() - 1);
    } else if (middle.contains(".")) {
      middle = middle.substring(0, middle.lastIndexOf('.'));
    }
    return middle.isEmpty() ? Optional.empty() : Optional.of(middle);
  }

  /** The override label, else the Swarm service without its stack, else the Compose service. */
  static String name(ContainerInfo c) {
    Map<String, String> labels = c.labels();
    String override = labels.get(NAME_LABEL);
    if (override != null && !override.isBlank()) {
      return override.strip();
    }
    String service = labels.get(SWARM_SERVICE_LABEL);
    if (service != null && !service.isBlank()) {
      String stack = labels.get(STACK_LABEL);
      if (stack != null && !stack.isEmpty() && service.startsWith(stack + "_")) {
        return service.substring(stack.length() + 1);
      }
      return service;
    }
    String compose = labels.get(COMPOSE_SERVICE_LABEL);
    if (compose != null && !compose.isBlank()) {
      return compose;
    }
    return c.name();
  }

  /**
   * A network the proxy shares first, else the first with an address; a container on the host
   * network is reached on the host, which a proxy in a bridged container sees as its gateway.
   */
  static Optional<String> address(ContainerInfo c, Optional<ContainerInfo> self) {
    if (c.onHostNetwork()) {
      if (self.isEmpty() || self.get().onHostNetwork()) {
        return Optional.of(LOOPBACK);
      }
      return self.get().networks().values().stream()
          .map(ContainerInfo.Endpoint::gateway)
          .filter(TargetRules::present)
          .findFirst();
    }
    if (self.isPresent()) {
      for (Map.Entry<String, ContainerInfo.Endpoint> network : c.networks().entrySet()) {
        ContainerInfo.Endpoint mine = self.get().networks().get(network.getKey());
        if (mine != null && present(mine.ip()) && present(network.getValue().ip())) {
          return Optional.of(network.getValue().ip());
        }
      }
    }
    return c.networks().values().stream()
        .map(ContainerInfo.Endpoint::ip)
        .filter(TargetRules::present)
        .findFirst();
  }

  private List<Integer> ports(ContainerInfo c) {
    LinkedHashSet<Integer> order = new LinkedHashSet<>();
    String label = c.labels().get(PORT_LABEL);
    if (label != null) {
      parsePort(label.strip()).ifPresent(order::add);
    }
    order.addAll(ports);
    return List.copyOf(order);
  }

  private String path(ContainerInfo c) {
    String label = c.labels().get(PATH_LABEL);
    return label == null ? metricsPath : label.strip();
  }

  private static Optional<Integer> parsePort(String value) {
    try {
      int port = Integer.parseInt(value);
      return port >= 1 && port <= 65535 ? Optional.of(port) : Optional.empty();
    } catch (NumberFormatException ignored) {
      return Optional.empty();
    }
  }

  private static boolean present(String s) {
    return s != null && !s.isEmpty();
  }
}
