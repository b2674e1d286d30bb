package io.appmetricsproxy.discover;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.ServiceGlobalModeOptions;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.SwarmSpec;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import io.appmetricsproxy.config.Config;
import io.appmetricsproxy.testing.TestContainers;
import io.appmetricsproxy.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A single-node Swarm on the test engine: a global and a replicated service on an attachable
 * overlay network, seen through the real target and peer sources; the engine leaves the Swarm
 * afterwards.
 */
class SwarmIT {
  private static final int REPLICATION_PORT = 9022;
  private static final String SUBNET = "10.231.77.0/24";
  private static final String SLEEP = "2147483647";

  private static TestContainers kit;
  private static DockerClient docker;
  private static Config config;
  private static Path storeDir;
  private static Peers beforeSwarm;
  private static String nodeId;
  private static String hostname;
  private static String network;
  private static String globalService;
  private static String replicatedService;
  private static Task globalTask;
  private static List<Task> replicatedTasks;
  private static final List<String> services = new ArrayList<>();
  private static String networkId;

  @BeforeAll
  static void swarm() throws Exception {
    kit = new TestContainers();
    docker = kit.engine().client();
    storeDir = Files.createTempDirectory("amp-swarm-it");
    config = Config.fromEnvironment(Map.of("DOCKER_HOST", kit.engine().dockerHost()), storeDir);
    leaveSwarm(); // a killed earlier run may have left the engine in one
    try (DockerEngine engine =
        new DockerEngine(config.docker(), config.scrape().interval(), Optional.empty())) {
      beforeSwarm = engine.peerSource(REPLICATION_PORT, List.of()).discover();
    }

    String address = kit.engine().bridgeGateway();
    docker
        .initializeSwarmCmd(new SwarmSpec())
        .withListenAddr(address + ":2377")
        .withAdvertiseAddr(address)
        .exec();
    nodeId = docker.infoCmd().exec().getSwarm().getNodeID();
    hostname = docker.listSwarmNodesCmd().exec().get(0).getDescription().getHostname();

    String run = kit.runId().substring(0, 8);
    network = "amp-it-overlay-" + run;
    networkId =
        docker
            .createNetworkCmd()
            .withName(network)
            .withDriver("overlay")
            .withAttachable(true)
            .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(SUBNET)))
            .withLabels(kit.labels())
            .exec()
            .getId();
    globalService = "amp-it-global-" + run;
    replicatedService = "amp-it-replicated-" + run;
    create(
        globalService,
        new ServiceModeConfig().withGlobal(new ServiceGlobalModeOptions()),
        Map.of("prometheus.io/port", "8080"));
    create(
        replicatedService,
        new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(3)),
        Map.of());
    globalTask = awaitRunning(globalService, 1).get(0);
    replicatedTasks = awaitRunning(replicatedService, 3);
  }

  private static void create(String name, ServiceModeConfig mode, Map<String, String> labels) {
    Map<String, String> all = new HashMap<>(labels);
    all.putAll(kit.labels());
    ServiceSpec spec =
        new ServiceSpec()
            .withName(name)
            .withLabels(kit.labels())
            .withMode(mode)
            .withTaskTemplate(
                new com.github.dockerjava.api.model.TaskSpec()
                    .withContainerSpec(
                        new ContainerSpec()
                            .withImage(TestImages.BUSYBOX)
                            .withCommand(List.of("sleep", SLEEP))
                            .withLabels(all))
                    .withNetworks(List.of(new NetworkAttachmentConfig().withTarget(network))));
    services.add(docker.createServiceCmd(spec).exec().getId());
  }

  /** The service's tasks once {@code count} of them run, each with its container. */
  private static List<Task> awaitRunning(String service, int count) throws InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    List<Task> tasks = List.of();
    while (System.nanoTime() < deadline) {
      tasks =
          docker
              .listTasksCmd()
              .withServiceFilter(service)
              .withStateFilter(TaskState.RUNNING)
              .exec()
              .stream()
              .filter(t -> t.getStatus().getState() == TaskState.RUNNING)
              .filter(t -> t.getStatus().getContainerStatus() != null)
              .toList();
      if (tasks.size() == count) {
        return tasks;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        service
            + ": "
            + tasks.size()
            + " of "
            + count
            + " tasks running after 120 s; tasks: "
            + docker.listTasksCmd().withServiceFilter(service).exec());
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (docker == null) {
      return;
    }
    for (String id : services) {
      try {
        docker.removeServiceCmd(id).exec();
      } catch (NotFoundException ignored) {
        // gone already
      }
    }
    if (networkId != null) {
      removeNetwork(networkId);
    }
    leaveSwarm();
    kit.close();
    assertThat(docker.infoCmd().exec().getSwarm().getLocalNodeState())
        .as("the engine is plain again for the other tests")
        .isEqualTo(LocalNodeState.INACTIVE);
    assertThat(docker.listNetworksCmd().withNameFilter(network).exec()).isEmpty();
    if (storeDir != null) {
      Files.deleteIfExists(storeDir);
    }
  }

  /** The overlay is in use until the service's containers are gone: retry for a while. */
  private static void removeNetwork(String id) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      try {
        docker.removeNetworkCmd(id).exec();
        return;
      } catch (NotFoundException ignored) {
        return;
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          System.err.println("[swarm-it] could not remove network " + id + ": " + e);
          return;
        }
        Thread.sleep(250);
      }
    }
  }

  private static void leaveSwarm() {
    var swarm = docker.infoCmd().exec().getSwarm();
    if (swarm != null
        && swarm.getLocalNodeState() != null
        && swarm.getLocalNodeState() != LocalNodeState.INACTIVE) {
      docker.leaveSwarmCmd().withForceEnabled(true).exec();
    }
  }

  private static String containerId(Task t) {
    return t.getStatus().getContainerStatus().getContainerID();
  }

  private static String overlayAddress(Task t) {
    return docker
        .inspectContainerCmd(containerId(t))
        .exec()
        .getNetworkSettings()
        .getNetworks()
        .get(network)
        .getIpAddress();
  }

  @Test
  void taskNamesCarryTheNodeIdForGlobalAndTheSlotForReplicatedServices() {
    Map<String, String> global =
        docker.inspectContainerCmd(containerId(globalTask)).exec().getConfig().getLabels();
    assertThat(globalTask.getNodeId()).isEqualTo(nodeId);
    assertThat(global)
        .containsEntry(
            TargetRules.TASK_NAME_LABEL, globalService + "." + nodeId + "." + globalTask.getId())
        .containsEntry(TargetRules.TASK_ID_LABEL, globalTask.getId())
        .containsEntry(TargetRules.SWARM_SERVICE_LABEL, globalService);
    for (Task t : replicatedTasks) {
      Map<String, String> labels =
          docker.inspectContainerCmd(containerId(t)).exec().getConfig().getLabels();
      assertThat(labels)
          .containsEntry(
              TargetRules.TASK_NAME_LABEL, replicatedService + "." + t.getSlot() + "." + t.getId());
    }
    assertThat(replicatedTasks).extracting(Task::getSlot).containsExactlyInAnyOrder(1, 2, 3);
  }

  @Test
  void globalTasksAndOptedOutContainersAreNotShared() {
    String plain = kit.silent("amp-it-swarm-plain-" + kit.runId().substring(0, 8), Map.of()).id();
    String local =
        kit.silent(
                "amp-it-swarm-local-" + kit.runId().substring(0, 8),
                Map.of(TargetRules.REPLICATE_LABEL, "false"))
            .id();

    Discovery d;
    try (DockerEngine engine =
        new DockerEngine(config.docker(), config.scrape().interval(), Optional.empty())) {
      d = engine.targetSource().discover();
    }
    Map<String, Target> byId =
        d.targets().stream().collect(Collectors.toMap(Target::containerId, Function.identity()));

    assertThat(byId.get(containerId(globalTask)).shared()).isFalse();
    assertThat(byId.get(containerId(globalTask)).name()).isEqualTo(globalService);
    for (Task t : replicatedTasks) {
      assertThat(byId.get(containerId(t)).shared()).as("task %s", t.getName()).isTrue();
    }
    assertThat(byId.get(plain).shared()).isTrue();
    assertThat(byId.get(local).shared()).isFalse();
  }

  @Test
  void tasksAreLabelledWithTheirServiceAndSlotAndTheNodeWithItsSwarmAddress() {
    Discovery d;
    try (DockerEngine engine =
        new DockerEngine(config.docker(), config.scrape().interval(), Optional.empty())) {
      d = engine.targetSource().discover();
    }
    assertThat(d.address()).hasValue(kit.engine().bridgeGateway());
    Map<String, Target> byId =
        d.targets().stream().collect(Collectors.toMap(Target::containerId, Function.identity()));
    for (Task t : replicatedTasks) {
      assertThat(byId.get(containerId(t)).labels())
          .as("task %s", t.getName())
          .isEqualTo(
              Map.of("service", replicatedService, "task_slot", Integer.toString(t.getSlot())));
    }
    assertThat(byId.get(containerId(globalTask)).labels())
        .isEqualTo(Map.of("service", globalService));
  }

  @Test
  void aManagerFindsTheOtherTasksOfItsServiceOnTheSharedOverlay() {
    Task self = replicatedTasks.get(0);
    List<Task> others = replicatedTasks.subList(1, 3);

    Peers peers;
    try (DockerEngine engine =
        new DockerEngine(
            config.docker(), config.scrape().interval(), Optional.of(containerId(self)))) {
      peers = engine.peerSource(REPLICATION_PORT, List.of()).discover();
    }

    assertThat(peers.role()).isEqualTo(Role.MANAGER);
    assertThat(peers.nodeId()).contains(nodeId);
    assertThat(peers.drives()).isTrue();
    assertThat(peers.problems()).isEmpty();
    assertThat(peers.peers())
        .containsExactlyInAnyOrderElementsOf(
            others.stream()
                .map(
                    t ->
                        new Peer(
                            nodeId, hostname, overlayAddress(t), REPLICATION_PORT, Role.MANAGER))
                .toList());
    assertThat(peers.peers()).extracting(Peer::host).allMatch(ip -> ip.startsWith("10.231.77."));
  }

  @Test
  void theShortIdFromTheHostnameFindsItsOwnTaskTooAndConfiguredPeersComeLast() {
    Task self = replicatedTasks.get(1);
    Peer configured = new Peer("backup:2222", "backup:2222", "backup", 2222, Role.CONFIGURED);

    Peers peers;
    try (DockerEngine engine =
        new DockerEngine(
            config.docker(),
            config.scrape().interval(),
            Optional.of(containerId(self).substring(0, 12)))) {
      peers = engine.peerSource(REPLICATION_PORT, List.of(configured)).discover();
    }

    assertThat(peers.peers()).hasSize(3).last().isEqualTo(configured);
    assertThat(peers.peers())
        .extracting(Peer::host)
        .doesNotContain(overlayAddress(self))
        .contains(overlayAddress(replicatedTasks.get(0)), overlayAddress(replicatedTasks.get(2)));
  }

  @Test
  void aProxyOutsideAServiceHasNoSwarmPeersButSaysWhy() {
    Peers peers;
    try (DockerEngine engine =
        new DockerEngine(config.docker(), config.scrape().interval(), Optional.empty())) {
      peers = engine.peerSource(REPLICATION_PORT, List.of()).discover();
    }
    assertThat(peers.role()).isEqualTo(Role.MANAGER);
    assertThat(peers.peers()).isEmpty();
    assertThat(peers.problems())
        .containsExactly(
            "the proxy's own container is unknown (not run in a container of this engine?): no"
                + " Swarm peers");
  }

  @Test
  void outsideASwarmTheEngineIsStandaloneAndDoesNotDrive() {
    assertThat(beforeSwarm.role()).isEqualTo(Role.STANDALONE);
    assertThat(beforeSwarm.nodeId()).isEmpty();
    assertThat(beforeSwarm.peers()).isEmpty();
    assertThat(beforeSwarm.drives()).isFalse();
    assertThat(beforeSwarm.problems()).isEmpty();
  }
}
