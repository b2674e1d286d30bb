package io.appmetricsproxy.discover;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.discover.PeerRules.Attachment;
import io.appmetricsproxy.discover.PeerRules.Node;
import io.appmetricsproxy.discover.PeerRules.Self;
import io.appmetricsproxy.discover.PeerRules.Task;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PeerRulesTest {
  private static final String SELF_CONTAINER = "c0ffee".repeat(10) + "abcd";
  private static final Self SELF =
      new Self(
          SELF_CONTAINER,
          Optional.of("task-self"),
          Map.of("net-mon", "mon_replication", "net-br", "bridge"));
  private static final List<Node> NODES =
      List.of(new Node("n1", "alpha", Role.MANAGER), new Node("n2", "beta", Role.WORKER));
  private static final Attachment INGRESS =
      new Attachment("net-ingress", "ingress", true, List.of("10.0.0.9/24"));

  private final PeerRules rules = new PeerRules(2222, List.of());

  private static Task task(String id, String node, String container, Attachment... attachments) {
    return new Task(id, node, "running", Optional.of(container), List.of(attachments));
  }

  private static Attachment mon(String... addresses) {
    return new Attachment("net-mon", "mon_replication", false, List.of(addresses));
  }

  /** One row: the tasks' attachments, the address chosen or empty. */
  private record AddressCase(String why, List<Attachment> attachments, Optional<String> expected) {}

  @Test
  void addressIsOnANetworkTheProxyIsAttachedToNeverIngress() {
    List<AddressCase> cases =
        List.of(
            new AddressCase("shared overlay", List.of(mon("10.0.1.5/24")), Optional.of("10.0.1.5")),
            new AddressCase(
                "ingress first is skipped",
                List.of(INGRESS, mon("10.0.1.6/24")),
                Optional.of("10.0.1.6")),
            new AddressCase("only ingress", List.of(INGRESS), Optional.empty()),
            new AddressCase(
                "ingress by name only",
                List.of(new Attachment("net-mon", "ingress", false, List.of("10.0.0.3/24"))),
                Optional.empty()),
            new AddressCase(
                "a network the proxy is not on",
                List.of(new Attachment("net-app", "app_front", false, List.of("10.0.2.5/24"))),
                Optional.empty()),
            new AddressCase(
                "not shared first, shared second",
                List.of(
                    new Attachment("net-app", "app_front", false, List.of("10.0.2.5/24")),
                    mon("10.0.1.7/24")),
                Optional.of("10.0.1.7")),
            new AddressCase(
                "matched by name without an id",
                List.of(new Attachment("", "mon_replication", false, List.of("10.0.1.8/16"))),
                Optional.of("10.0.1.8")),
            new AddressCase("no prefix length", List.of(mon("10.0.1.9")), Optional.of("10.0.1.9")),
            new AddressCase("IPv6 with prefix", List.of(mon("fd00::5/64")), Optional.of("fd00::5")),
            new AddressCase(
                "empty address skipped",
                List.of(mon("", "10.0.1.10/24")),
                Optional.of("10.0.1.10")),
            new AddressCase("no addresses", List.of(mon()), Optional.empty()),
            new AddressCase("no attachments", List.of(), Optional.empty()));
    for (AddressCase c : cases) {
      Task t = new Task("t", "n1", "running", Optional.empty(), c.attachments());
      assertThat(PeerRules.address(t, SELF)).as(c.why()).isEqualTo(c.expected());
    }
  }

  @Test
  void ownTaskIsFoundByTaskIdOrContainerIdNeverByNode() {
    Self shortId = new Self(SELF_CONTAINER.substring(0, 12), Optional.empty(), Map.of());
    Self noTask = new Self(SELF_CONTAINER, Optional.empty(), Map.of());
    assertThat(PeerRules.isSelf(task("task-self", "n1", "other"), SELF)).isTrue();
    assertThat(PeerRules.isSelf(task("t2", "n1", SELF_CONTAINER), noTask)).isTrue();
    assertThat(PeerRules.isSelf(task("t2", "n1", SELF_CONTAINER), shortId)).isTrue();
    assertThat(PeerRules.isSelf(task("t2", "n1", SELF_CONTAINER.substring(0, 12)), noTask))
        .isTrue();
    assertThat(PeerRules.isSelf(task("t3", "n1", "deadbeef".repeat(8)), SELF)).isFalse();
    assertThat(PeerRules.isSelf(task("t4", "n1", ""), new Self("", Optional.empty(), Map.of())))
        .isFalse();
  }

  @Test
  void aManagerListsTheOtherTasksWithNodeNameKeyAndRole() {
    Peers peers =
        rules.manager(
            Optional.of("n1"),
            SELF,
            List.of(
                task("task-self", "n1", SELF_CONTAINER, mon("10.0.1.2/24")),
                task("t-same-node", "n1", "c2", INGRESS, mon("10.0.1.3/24")),
                task("t-worker", "n2", "c3", mon("10.0.1.4/24"))),
            NODES);
    assertThat(peers.peers())
        .containsExactly(
            new Peer("n1", "alpha", "10.0.1.3", 2222, Role.MANAGER),
            new Peer("n2", "beta", "10.0.1.4", 2222, Role.WORKER));
    assertThat(peers.role()).isEqualTo(Role.MANAGER);
    assertThat(peers.nodeId()).contains("n1");
    assertThat(peers.drives()).isTrue();
    assertThat(peers.problems()).isEmpty();
  }

  @Test
  void tasksThatCannotBeReachedAreProblemsNotPeers() {
    Peers peers =
        rules.manager(
            Optional.of("n1"),
            SELF,
            List.of(
                task("t-ingress", "n2", "c2", INGRESS),
                new Task("t-starting", "n2", "starting", Optional.empty(), List.of()),
                task("t-gone-node", "n9", "c4", mon("10.0.1.4/24")),
                task("t-ok", "n2", "c5", mon("10.0.1.5/24"))),
            NODES);
    assertThat(peers.peers()).extracting(Peer::host).containsExactly("10.0.1.5");
    assertThat(peers.problems())
        .containsExactly(
            "task t-ingress on beta has no address on a network of the proxy's own container"
                + " [bridge, mon_replication]",
            "task t-starting on beta is starting, not running",
            "task t-gone-node is on node n9, which the Swarm does not list");
  }

  @Test
  void configuredPeersAreAddedLastAndMakeAnyNodeDrive() {
    Peer configured = new Peer("backup:2222", "backup:2222", "backup", 2222, Role.WORKER);
    Peer duplicate = new Peer("10.0.1.3:2222", "10.0.1.3:2222", "10.0.1.3", 2222, Role.CONFIGURED);
    PeerRules withConfigured = new PeerRules(2222, List.of(configured, duplicate));

    Peers worker = withConfigured.combine(Role.WORKER, Optional.of("n2"), List.of(), List.of());
    assertThat(worker.peers())
        .extracting(Peer::role, Peer::host)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Role.CONFIGURED, "backup"),
            org.assertj.core.groups.Tuple.tuple(Role.CONFIGURED, "10.0.1.3"));
    assertThat(worker.drives()).isTrue();

    Peers manager =
        withConfigured.manager(
            Optional.of("n1"), SELF, List.of(task("t", "n1", "c2", mon("10.0.1.3/24"))), NODES);
    assertThat(manager.peers())
        .extracting(Peer::key)
        .as("a configured peer at a discovered address is not added twice")
        .containsExactly("n1", "backup:2222");
  }

  @Test
  void withoutConfiguredPeersOnlyAManagerDrives() {
    assertThat(rules.combine(Role.WORKER, Optional.of("n2"), List.of(), List.of()).drives())
        .isFalse();
    assertThat(rules.combine(Role.STANDALONE, Optional.empty(), List.of(), List.of()).drives())
        .isFalse();
    assertThat(rules.combine(Role.MANAGER, Optional.of("n1"), List.of(), List.of()).drives())
        .isTrue();
  }
}
