#!/usr/bin/env bash
# End to end on a real three-node Swarm with a real Prometheus (Debian, as root):
#   1. assembles a Tomcat 10.1 base image (jlink'ed Java 17, its libraries, static busybox, Tomcat
#      from Maven Central) laid out like the official tomcat image, and imports it;
#   2. builds the project's own Dockerfile on it (--build-arg BASE_IMAGE=...);
#   3. starts three dockerd, each in its own network, mount (private /run) and UTS namespace
#      (hostnames node1..node3), joined by a bridge: node1 and node2 managers, node3 a worker;
#   4. deploys the project's docker-compose.swarm.yml as stack "monitoring" and the demo stack
#      (a global exporter, a one-replica and a two-replica service);
#   5. runs Debian's prometheus on the host with three kinds of job (prometheus.yml): the original
#      one job per service with the three nodes as targets, the "swarm" job from both managers'
#      /api/sd?scope=swarm, and one "<service>-local" job per service asking scope=local;
#   6. asserts through Prometheus' HTTP API and on every node's port 2137 (also the managers'
#      /api/sd?scope=swarm): each kind of job holds what it should (the original jobs each task once
#      per node, the swarm and -local jobs each task once, under the node that runs it);
#   7. scales the two-replica service to three, then stops the worker's engine, and measures how
#      long the served metrics and Prometheus take to converge, while a watcher checks that no node
#      ever serves a half-written body;
#   8. tears everything down (trap on any exit; leftovers of an aborted run go at the next start).
#
# Usage: bash src/test/e2e/swarm-e2e.sh [WAR]        (default: target/app-metrics-proxy.war)
# Environment: TOMCAT_HOME (an unpacked Tomcat 10.1; default target/tomcat/apache-tomcat-*, else
# fetched from Maven Central with mvn), AMP_E2E_WORK (work folder, default /tmp/amp-swarm-e2e),
# AMP_E2E_KEEP=1 (leave everything running after the checks, for a look; tear down by running the
# script with "teardown").
set -euo pipefail
shopt -s nullglob

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
E2E=$ROOT/src/test/e2e
WORK=${AMP_E2E_WORK:-/tmp/amp-swarm-e2e}
BRIDGE=amp-e2e0           # host side: 10.78.0.254, node N: 10.78.0.N
NET=10.78.0
NS=amp-e2e-node           # network namespaces amp-e2e-node1..3
MARK=amp-swarm-e2e        # comment on every iptables rule this script adds
NODES=(1 2 3)
WORKER=3                  # node1, node2: managers; node3: worker
INTERVAL=2                # SCRAPE_INTERVAL of the proxies and scrape_interval of Prometheus (s)
PROM_ADDR=127.0.0.1:19090
SCALE_BOUND=8             # intervals within which scaling 2 -> 3 must converge
LOSS_BOUND=20             # intervals within which the loss of a node must converge (Swarm itself
                          # takes ~15 s to call a node down with its default 5 s heartbeat)
# Both bounds cover all three kinds of job. The swarm job comes last: a change reaches the managers'
# sd by replication, Prometheus reads the sd every 2 s (refresh_interval), passes target changes
# on at most every 5 s (its discovery manager's update interval), and scrapes a new target up to an
# interval later. Measured over five runs, it agreed 3-7.5 s after the original and -local jobs:
# scaling converged in 6.6-8.5 s (3.3-4.3 intervals of 8), the loss in 22.1-24.0 s (11.1-12.0 of
# 20). Within the bounds as they were: not raised.
export DOCKER_BUILDKIT=0  # the classic builder: the engines here are Debian's 20.10
export SSHPASS=e2e-$RANDOM$RANDOM$RANDOM
START=$(date +%s)

log() { printf '[e2e %4ds] %s\n' "$(($(date +%s) - START))" "$*"; }
die() { log "FAILED: $*"; exit 1; }
dk() { local n=$1; shift; docker -H "unix://$WORK/node$n/run/docker.sock" "$@"; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------------------------------------
# Teardown: everything this script made, found by its own names, pid files and rule comments.
# ---------------------------------------------------------------------------------------------

# SIGTERMs the process in pid file $1 if its command line mentions $WORK, waits up to $2 s, then
# SIGKILLs it.
stop_pidfile() {
  local file=$1 wait=${2:-30} pid
  [[ -s $file ]] || return 0
  pid=$(<"$file")
  if [[ $pid =~ ^[0-9]+$ ]] && [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q -- "$WORK"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < wait * 10; i++)); do [[ -d /proc/$pid ]] || break; sleep 0.1; done
    if [[ -d /proc/$pid ]]; then
      log "pid $pid ($file) ignored SIGTERM for $wait s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$file"
}

# Pids of processes whose command line mentions $WORK/ (containerd and shims of our engines).
our_pids() {
  local p
  for p in /proc/[0-9]*; do
    tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -q -- "$WORK/" && echo "${p#/proc/}"
  done
  return 0
}

teardown() {
  set +e
  [[ -d $WORK ]] || { cleanup_net; return 0; }
  stop_pidfile "$WORK/watch.pid" 5
  stop_pidfile "$WORK/prometheus.pid" 15
  local n
  local pids=()
  for n in "${NODES[@]}"; do stop_pidfile "$WORK/node$n/run/docker.pid" 40 & pids+=($!); done
  wait "${pids[@]}"
  local rest
  rest=$(our_pids)
  if [[ -n $rest ]]; then
    kill -TERM $rest 2>/dev/null; sleep 2
    rest=$(our_pids); [[ -z $rest ]] || kill -KILL $rest 2>/dev/null
  fi
  cleanup_net
  # The engines' mounts lived in their own mount namespaces: nothing of ours is mounted here.
  if grep -q " $WORK/" /proc/self/mountinfo; then
    log "still mounted under $WORK; leaving it in place"
  else
    rm -rf "$WORK"
  fi
  set -e
}

cleanup_net() {
  local n rule
  for n in "${NODES[@]}"; do ip netns del "$NS$n" 2>/dev/null; done
  ip link del "$BRIDGE" 2>/dev/null
  while rule=$(iptables -S FORWARD 2>/dev/null | grep -m1 -- "--comment $MARK"); do
    # shellcheck disable=SC2086 # the rule is iptables' own words
    iptables ${rule/-A /-D } || break
  done
  return 0
}

on_exit() {
  local rc=$?
  if ((rc != 0)); then
    log "exit code $rc; logs follow"
    local f
    for f in "$WORK"/node*/dockerd.log "$WORK/prometheus.log" "$WORK/watch.log"; do
      [[ -s $f ]] && { echo "----- tail of $f"; tail -n 40 "$f"; }
    done
    for n in "${NODES[@]}"; do
      [[ -S $WORK/node$n/run/docker.sock ]] || continue
      echo "----- node$n: tasks"; dk "$n" ps -a --format '{{.Names}} {{.Status}}' 2>&1 | head -20
      local c
      for c in $(dk "$n" ps -aq --filter label=com.docker.swarm.service.name=monitoring_app-metrics-proxy 2>/dev/null); do
        echo "----- node$n: proxy $c, last log lines"; dk "$n" logs --tail 30 "$c" 2>&1
      done
    done
  fi
  if [[ ${AMP_E2E_KEEP:-} == 1 ]]; then
    log "AMP_E2E_KEEP=1: left running; sockets $WORK/node*/run/docker.sock, Prometheus http://$PROM_ADDR"
  else
    log "tearing down"; teardown; log "torn down"
  fi
  exit "$rc"
}

if [[ ${1:-} == teardown ]]; then teardown; exit 0; fi

# ---------------------------------------------------------------------------------------------
# Prerequisites
# ---------------------------------------------------------------------------------------------
WAR=${1:-$ROOT/target/app-metrics-proxy.war}
[[ $(id -u) == 0 ]] || die "needs root (network namespaces, bridges, dockerd)"
for tool in dockerd docker nsenter unshare ip iptables jlink prometheus promtool curl jq busybox; do
  command -v "$tool" >/dev/null || die "$tool not found (bash src/test/setup.sh installs what is missing)"
done
[[ -f $WAR ]] || die "no WAR at $WAR (mvn -B package -DskipTests)"
file_is_static() { ! ldd "$1" >/dev/null 2>&1; }
BUSYBOX=$(command -v busybox)
file_is_static "$BUSYBOX" || BUSYBOX=/bin/busybox
file_is_static "$BUSYBOX" || die "no static busybox (apt-get install busybox-static)"

# Leftovers of an aborted run go first.
if [[ -e $WORK ]] || ip link show "$BRIDGE" >/dev/null 2>&1; then
  log "removing leftovers of an earlier run"; teardown
fi
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$WORK"

# ---------------------------------------------------------------------------------------------
# 1. The Tomcat 10.1 base image, assembled here
# ---------------------------------------------------------------------------------------------
TOMCAT_VERSION=$(sed -n 's:.*<tomcat.version>\(.*\)</tomcat.version>.*:\1:p' "$ROOT/pom.xml" | head -1)
if [[ -z ${TOMCAT_HOME:-} ]]; then
  d=$ROOT/target/tomcat/apache-tomcat-$TOMCAT_VERSION
  [[ -d $d ]] && TOMCAT_HOME=$d
fi
if [[ -z ${TOMCAT_HOME:-} ]]; then
  log "fetching Tomcat $TOMCAT_VERSION from Maven Central"
  mvn -B -q dependency:copy -Dartifact="org.apache.tomcat:tomcat:$TOMCAT_VERSION:tar.gz" \
    -DoutputDirectory="$WORK/dl" >"$WORK/mvn.log" 2>&1 || { cat "$WORK/mvn.log"; die "mvn could not fetch Tomcat"; }
  mkdir -p "$WORK/dl/tomcat"
  tar -xzf "$WORK/dl/tomcat-$TOMCAT_VERSION.tar.gz" -C "$WORK/dl/tomcat"
  TOMCAT_HOME=$WORK/dl/tomcat/apache-tomcat-$TOMCAT_VERSION
fi
[[ -x $TOMCAT_HOME/bin/catalina.sh ]] || die "no Tomcat at $TOMCAT_HOME"

# A Java 17 JDK with its jmods: JAVA17_HOME, the jlink on PATH, or Debian's.
JDK=""
for d in ${JAVA17_HOME:-} "$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")" /usr/lib/jvm/java-17-openjdk-*; do
  if grep -qs '^JAVA_VERSION="17' "$d/release" && [[ -f $d/jmods/java.base.jmod ]]; then JDK=$d; break; fi
done
[[ -n $JDK ]] || die "no Java 17 JDK with jmods (apt-get install openjdk-17-jdk-headless, or set JAVA17_HOME)"
log "assembling the base image: Java 17 jlink'ed from $JDK + its libraries + busybox + Tomcat $TOMCAT_VERSION"
BASE=$WORK/rootfs-base
JAVA_HOME_IMG=/opt/java/openjdk
mkdir -p "$BASE"/{bin,tmp,etc,usr/local,opt/java}
chmod 1777 "$BASE/tmp"
"$JDK/bin/jlink" --module-path "$JDK/jmods" \
  --add-modules java.se,jdk.unsupported,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.zipfs,jdk.management,jdk.naming.dns,jdk.net,jdk.charsets,jdk.localedata \
  --strip-debug --no-man-pages --no-header-files --compress=2 --output "$BASE$JAVA_HOME_IMG"
# The libraries the runtime links, as ldd resolves them on this host (the loader included).
{
  find "$BASE$JAVA_HOME_IMG" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 |
    xargs -0 ldd 2>/dev/null | awk '/=> \// { print $3 } /^\t\/[^ ]+ \(/ { print $1 }'
} | sort -u | while read -r lib; do
  cp -L --parents "$lib" "$BASE"
done
cp "$BUSYBOX" "$BASE/bin/busybox"
for applet in $("$BUSYBOX" --list); do [[ -e $BASE/bin/$applet ]] || ln -s busybox "$BASE/bin/$applet"; done
mkdir -p "$BASE/usr/bin" && ln -s /bin/env "$BASE/usr/bin/env"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$BASE/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$BASE/etc/group"
mkdir -p "$BASE/root"
cp -a "$TOMCAT_HOME" "$BASE/usr/local/tomcat"
# As the official image: the distribution's webapps kept aside in webapps.dist.
mv "$BASE/usr/local/tomcat/webapps" "$BASE/usr/local/tomcat/webapps.dist"
mkdir "$BASE/usr/local/tomcat/webapps"
rm -rf "$BASE/usr/local/tomcat/logs" "$BASE/usr/local/tomcat/temp" "$BASE/usr/local/tomcat/work"
mkdir -p "$BASE/usr/local/tomcat"/{logs,temp,work}
tar -C "$BASE" -cf "$WORK/base.tar" .
log "base image rootfs: $(du -sm "$BASE" | cut -f1) MB"

# The demo image: static busybox, its applets and the entry point.
DEMO=$WORK/rootfs-demo
mkdir -p "$DEMO"/{bin,tmp,www}
chmod 1777 "$DEMO/tmp"
cp "$BUSYBOX" "$DEMO/bin/busybox"
for applet in sh httpd mkdir cat mv hostname sleep; do ln -s busybox "$DEMO/bin/$applet"; done
cp "$E2E/demo-serve.sh" "$DEMO/serve.sh"
tar -C "$DEMO" -cf "$WORK/demo.tar" .

# ---------------------------------------------------------------------------------------------
# 3. Three engines in three namespaces, one bridge
# ---------------------------------------------------------------------------------------------
log "network: bridge $BRIDGE $NET.254/24, namespaces $NS{1,2,3}"
ip link add "$BRIDGE" type bridge
ip addr add "$NET.254/24" dev "$BRIDGE"
ip link set "$BRIDGE" up
# Bridged frames pass the host's FORWARD chain when br_netfilter is loaded (another engine on this
# host may have set its policy to DROP): let ours through, marked so that teardown removes just it.
iptables -I FORWARD -i "$BRIDGE" -o "$BRIDGE" -m comment --comment "$MARK" -j ACCEPT
for n in "${NODES[@]}"; do
  ip netns add "$NS$n"
  ip link add "amp-e2e-h$n" type veth peer name "amp-e2e-v$n"
  ip link set "amp-e2e-v$n" netns "$NS$n"
  ip link set "amp-e2e-h$n" master "$BRIDGE" up
  ip netns exec "$NS$n" ip addr add "$NET.$n/24" dev "amp-e2e-v$n"
  ip netns exec "$NS$n" ip link set "amp-e2e-v$n" up
  ip netns exec "$NS$n" ip link set lo up
done

start_engine() {
  local n=$1 d=$WORK/node$1
  mkdir -p "$d/run" "$d/data" "$d/exec"
  echo '{}' >"$d/daemon.json" # never the host's /etc/docker/daemon.json
  rm -f "$d/run/docker.pid"
  # nsenter, not "ip netns exec" (which remounts /sys: dockerd then finds no devices cgroup).
  # The private /run makes /var/run/docker.sock inside node N node N's own engine.
  nsenter --net="/var/run/netns/$NS$n" unshare --mount --uts --propagation private sh -c "
    hostname node$n
    mount --bind '$d/run' /run
    exec dockerd --host unix:///run/docker.sock --pidfile /run/docker.pid \
      --data-root '$d/data' --exec-root '$d/exec' --config-file '$d/daemon.json' \
      --bip 172.30.$n.1/24 --cgroup-parent amp-e2e-node$n --shutdown-timeout 5" \
    >"$d/dockerd.log" 2>&1 </dev/null &
}

await() { # await SECONDS WHAT COMMAND...: polls COMMAND every 0.5 s
  local limit=$1 what=$2; shift 2
  local deadline=$(($(date +%s) + limit))
  until "$@" >/dev/null 2>&1; do
    (($(date +%s) < deadline)) || die "$what: not within $limit s"
    sleep 0.5
  done
}

log "starting three engines (node1, node2: managers; node3: worker)"
for n in "${NODES[@]}"; do start_engine "$n"; done
for n in "${NODES[@]}"; do await 60 "engine node$n ready" dk "$n" info; done
for n in "${NODES[@]}"; do
  [[ $(dk "$n" info --format '{{.Name}}') == "node$n" ]] || die "engine $n does not call itself node$n"
done

# Images: import the base, build the project's Dockerfile on node1, copy both images to the others.
log "importing the base image; building the project's Dockerfile on it"
dk 1 import \
  -c "ENV JAVA_HOME=$JAVA_HOME_IMG CATALINA_HOME=/usr/local/tomcat PATH=/usr/local/tomcat/bin:$JAVA_HOME_IMG/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8" \
  -c 'WORKDIR /usr/local/tomcat' -c 'EXPOSE 8080' -c 'CMD ["catalina.sh", "run"]' \
  "$WORK/base.tar" amp-e2e/tomcat:10.1-jre17 >/dev/null
CTX=$WORK/context
mkdir -p "$CTX/tomcat" "$CTX/target"
cp "$ROOT/Dockerfile" "$ROOT/.dockerignore" "$CTX/"
cp "$ROOT/tomcat/server.xml" "$ROOT/tomcat/setenv.sh" "$CTX/tomcat/"
cp "$WAR" "$CTX/target/app-metrics-proxy.war"
dk 1 build -q --build-arg BASE_IMAGE=amp-e2e/tomcat:10.1-jre17 -t app-metrics-proxy:latest "$CTX" >/dev/null ||
  die "docker build of the project's Dockerfile failed"
dk 1 import -c 'WORKDIR /' -c 'CMD ["/bin/sh", "/serve.sh"]' "$WORK/demo.tar" amp-e2e/demo:1 >/dev/null
dk 1 save -o "$WORK/images.tar" app-metrics-proxy:latest amp-e2e/demo:1
LOADS=()
for n in 2 3; do dk "$n" load -q -i "$WORK/images.tar" >/dev/null & LOADS+=($!); done
for pid in "${LOADS[@]}"; do wait "$pid" || die "docker load failed"; done
log "image app-metrics-proxy:latest: $(dk 1 image inspect -f '{{.Size}}' app-metrics-proxy:latest | awk '{ printf "%d MB", $1 / 1e6 }')"

# The Swarm: join with retries (a join that timed out leaves the node in state "error").
log "making the Swarm"
dk 1 swarm init --advertise-addr "$NET.1" --listen-addr "$NET.1:2377" >/dev/null
MANAGER_TOKEN=$(dk 1 swarm join-token -q manager)
WORKER_TOKEN=$(dk 1 swarm join-token -q worker)
join() {
  local n=$1 token=$2 try
  for try in 1 2 3; do
    dk "$n" swarm join --advertise-addr "$NET.$n" --listen-addr "$NET.$n:2377" --token "$token" "$NET.1:2377" >/dev/null 2>&1 && return 0
    log "node$n: join attempt $try failed; leaving and trying again"
    dk "$n" swarm leave --force >/dev/null 2>&1 || true
    sleep 1
  done
  die "node$n could not join the Swarm"
}
join 2 "$MANAGER_TOKEN"
join "$WORKER" "$WORKER_TOKEN"
nodes_ready() { [[ $(dk 1 node ls --format '{{.Hostname}} {{.Status}}' | grep -c ' Ready$') == 3 ]]; }
await 60 "three nodes Ready" nodes_ready
dk 1 node ls

# ---------------------------------------------------------------------------------------------
# 4. The project's stack and the demo services
# ---------------------------------------------------------------------------------------------
log "deploying docker-compose.swarm.yml as stack monitoring (SCRAPE_INTERVAL=$INTERVAL) and the demo stack"
printf '%s' "$SSHPASS" | dk 1 secret create app-metrics-proxy-sshpass - >/dev/null
SCRAPE_INTERVAL=$INTERVAL dk 1 stack deploy --resolve-image never -c "$ROOT/docker-compose.swarm.yml" monitoring
dk 1 stack deploy --resolve-image never -c "$E2E/demo-stack.yml" demo

# ---------------------------------------------------------------------------------------------
# 5. Prometheus on the host: the original jobs (one per service, the three nodes as targets), the
#    swarm job (the managers' /api/sd?scope=swarm) and the -local jobs (scope=local)
# ---------------------------------------------------------------------------------------------
cp "$E2E/prometheus.yml" "$WORK/prometheus.yml"
grep -q "scrape_interval: ${INTERVAL}s" "$WORK/prometheus.yml" || die "prometheus.yml: scrape_interval is not ${INTERVAL}s"
promtool check config "$WORK/prometheus.yml" >/dev/null
curl -s -o /dev/null "http://$PROM_ADDR/" && die "something already listens on $PROM_ADDR"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prometheus-data" \
  --web.listen-address="$PROM_ADDR" --log.level=warn >"$WORK/prometheus.log" 2>&1 </dev/null &
echo $! >"$WORK/prometheus.pid"
await 30 "Prometheus ready" curl -fsS "http://$PROM_ADDR/-/ready"

# ---------------------------------------------------------------------------------------------
# The checks. Truth is what the Swarm says runs; served and scraped metrics must match it.
# ---------------------------------------------------------------------------------------------
PROBLEM=""
fail_check() { PROBLEM=$*; return 1; }

# Task names (= container names) of a service's tasks running on a node in $LIVE, sorted.
running_tasks() {
  dk 1 service ps "demo_$1" --no-trunc --filter desired-state=running \
    --format '{{.Name}}.{{.ID}} {{.Node}} {{.CurrentState}}' |
    awk -v live=" $LIVE " '$3 == "Running" && index(live, " " $2 " ") { print $1 }' | sort
}

# "<container> <node> <slot>" of a service's tasks running on a node in $LIVE, sorted; the slot is
# "-" for a global service (its tasks have none: the second part of their name is the node's id).
task_rows() {
  dk 1 service ps "demo_$1" --no-trunc --filter desired-state=running \
    --format '{{.Name}}.{{.ID}} {{.Node}} {{.CurrentState}}' |
    awk -v live=" $LIVE " -v global="$([[ $1 == exporter ]] && echo 1)" '$3 == "Running" && index(live, " " $2 " ") {
      split($1, p, "."); print $1, $2, (global ? "-" : p[2]) }' | sort
}

# The task labels of demo_task_info in a body on stdin, sorted.
tasks_in_body() { sed -n 's/^demo_task_info{.*task="\([^"]*\)".*/\1/p' | sort; }

# The Swarm runs every replica of single and pair on a live node.
swarm_ok() {
  local svc
  for svc in single pair; do [[ $(running_tasks "$svc" | grep -c .) == "${REPLICAS[$svc]}" ]] || return 1; done
}

# Served: every live node serves each replicated service's running tasks, and its own exporter only.
served_ok() {
  local n svc want got body
  for svc in single pair; do
    want=$(running_tasks "$svc")
    [[ $(wc -l <<<"$want") == "${REPLICAS[$svc]}" && -n $want ]] ||
      fail_check "swarm: $svc runs $(wc -w <<<"$want") of ${REPLICAS[$svc]} tasks" || return 1
    for n in $LIVE_N; do
      got=$(curl -fsS -m 2 "http://$NET.$n:2137/$svc/metrics" 2>/dev/null | tasks_in_body) ||
        fail_check "node$n: /$svc/metrics not served" || return 1
      [[ $got == "$want" ]] || fail_check "node$n: /$svc/metrics serves [$(echo $got)], swarm runs [$(echo $want)]" || return 1
    done
  done
  for n in $LIVE_N; do
    body=$(curl -fsS -m 2 "http://$NET.$n:2137/exporter/metrics" 2>/dev/null) ||
      fail_check "node$n: /exporter/metrics not served" || return 1
    got=$(sed -n 's/^demo_task_info{.*host="\([^"]*\)".*/\1/p' <<<"$body" | sort -u | xargs)
    [[ $got == "node$n" ]] || fail_check "node$n: /exporter/metrics has the exporters of [$got]" || return 1
  done
  sd_ok
}

# The managers' /api/sd?scope=swarm (the "swarm" job's sources): each lists every running task of
# single and pair once, at its node's Swarm address and port 2137, with the labels of where it
# runs; no container twice. A global service's task is not replicated, so a manager lists its own
# node's exporter only (the worker's is in neither list): SD_EXPORTERS collects the exporters'
# "<container> <node>" that the managers list, which the swarm job must then have exactly once.
sd_ok() {
  local m sd want got svc dups
  SD_EXPORTERS=""
  for m in $LIVE_MANAGERS; do
    sd=$(curl -fsS -m 2 "http://$NET.$m:2137/api/sd?scope=swarm" 2>/dev/null) ||
      fail_check "node$m: /api/sd?scope=swarm not served" || return 1
    jq -e 'type == "array"' >/dev/null 2>&1 <<<"$sd" ||
      fail_check "node$m: /api/sd?scope=swarm is not a JSON array: $(head -c 200 <<<"$sd")" || return 1
    dups=$(jq -r '.[].labels.container' <<<"$sd" | sort | uniq -d | xargs)
    [[ -z $dups ]] || fail_check "node$m: /api/sd?scope=swarm lists [$dups] more than once" || return 1
    for svc in single pair; do
      want=$(task_rows "$svc" | awk -v net="$NET" -v svc="$svc" '{
        n = substr($2, 5); print $1, $2, net "." n ":2137", "/" svc "/metrics", $1, svc, "demo", $3 }')
      got=$(jq -r --arg s "$svc" '.[] | select(.labels.name == $s) | [.labels.container, .labels.node,
          (.targets | join(",")), .labels.__metrics_path__, .labels.__param_container, .labels.service,
          .labels.stack, .labels.task_slot] | join(" ")' <<<"$sd" | sort)
      [[ $got == "$want" ]] || fail_check "node$m: /api/sd?scope=swarm lists for $svc [$(echo $got)], expected [$(echo $want)]" || return 1
    done
    got=$(jq -r '.[] | select(.labels.name == "exporter") | [.labels.container, .labels.node,
        (.targets | join(",")), (.labels.task_slot // "-")] | join(" ")' <<<"$sd" | sort)
    want=$(task_rows exporter | awk -v net="$NET" -v m="node$m" '$2 == m { print $1, $2, net "." substr($2, 5) ":2137", "-" }')
    [[ $got == "$want" ]] || fail_check "node$m: /api/sd?scope=swarm lists exporters [$(echo $got)], expected its own [$(echo $want)]" || return 1
    SD_EXPORTERS+="$(cut -d' ' -f1,2 <<<"$got")"$'\n'
    got=$(jq -r '.[].labels.name' <<<"$sd" | sort -u | xargs)
    [[ $got == "exporter pair single" ]] || fail_check "node$m: /api/sd?scope=swarm lists the names [$got]" || return 1
  done
  SD_EXPORTERS=$(grep . <<<"$SD_EXPORTERS" | sort -u)
}

promq() { curl -fsS -m 3 --data-urlencode "query=$1" "http://$PROM_ADDR/api/v1/query"; }

# What Prometheus holds now: its active targets and every demo_task_info series.
prom_fetch() {
  P_TARGETS=$(curl -fsS -m 3 "http://$PROM_ADDR/api/v1/targets?state=active") || fail_check "Prometheus: no targets" || return 1
  P_SERIES=$(promq 'demo_task_info') || fail_check "Prometheus: query failed" || return 1
}

# The targets of the jobs of one kind (original, local, swarm): the static jobs' (every node listed)
# up on live nodes, down on lost ones; the swarm job's (from the sd: where containers run) all up
# and on live nodes, a lost node's gone from the sd rather than down. No job of another name.
declare -A KIND_JOBS=([original]=" exporter single pair app-metrics-proxy " [local]=" exporter-local single-local pair-local " [swarm]=" swarm ")
targets_ok() { # KIND
  local bad
  bad=$(jq -r --arg live " $LIVE_IP " --arg jobs "${KIND_JOBS[$1]}" --arg all "${KIND_JOBS[*]}" '.data.activeTargets[]
      | (.labels.instance as $i | $live | contains(" " + $i + " ")) as $onlive
      | (.labels.job as $j | $jobs | contains(" " + $j + " ")) as $mine
      | (.labels.job as $j | $all | contains(" " + $j + " ")) as $known
      | select(($known | not) or ($mine and (if .labels.job == "swarm" then .health != "up" or ($onlive | not)
                                            else (.health == "up") != $onlive end)))
      | "\(.labels.job)@\(.labels.instance)\(.labels.container // "" | if . == "" then "" else "/" + . end)=\(.health)"' <<<"$P_TARGETS" | xargs) ||
    fail_check "Prometheus: jq could not read the targets" || return 1
  [[ -z $bad ]] || fail_check "Prometheus targets ($1 jobs) not as expected: $bad" || return 1
}

# The original jobs: per job and live node the same tasks as the Swarm runs, and the global
# exporter only of that node; nothing from a lost node.
original_series_ok() {
  local want got n svc
  targets_ok original || return 1
  for svc in single pair; do
    want=$(running_tasks "$svc" | xargs)
    for n in "${NODES[@]}"; do
      got=$(jq -r --arg j "$svc" --arg i "$NET.$n:2137" '.data.result[].metric
          | select(.job == $j and .instance == $i) | .task' <<<"$P_SERIES" | sort | xargs)
      if [[ " $LIVE_N " == *" $n "* ]]; then
        [[ $got == "$want" ]] || fail_check "Prometheus: $svc via node$n has [$got], swarm runs [$want]" || return 1
      else
        [[ -z $got ]] || fail_check "Prometheus: $svc via lost node$n still has [$got]" || return 1
      fi
    done
  done
  for n in "${NODES[@]}"; do
    got=$(jq -r --arg i "$NET.$n:2137" '.data.result[].metric
        | select(.job == "exporter" and .instance == $i) | .host' <<<"$P_SERIES" | sort -u | xargs)
    want=""; [[ " $LIVE_N " == *" $n "* ]] && want=node$n
    [[ $got == "$want" ]] || fail_check "Prometheus: exporter via node$n has [$got], expected [$want]" || return 1
  done
}

prometheus_ok() { prom_fetch && original_series_ok && swarm_series_ok && local_series_ok; }

# The swarm job: each running task of single and pair exactly once, under the instance of the node
# that runs it, its node and task_slot labels those of the Swarm, its body's host that node; no
# series of a task the Swarm no longer runs. Each exporter the managers' sd lists (SD_EXPORTERS,
# from sd_ok) exactly once, under its own node, and no other exporter.
swarm_series_ok() {
  local svc want got
  targets_ok swarm || return 1
  for svc in single pair; do
    want=$(task_rows "$svc" | awk -v net="$NET" -v svc="$svc" '{
      print $1, $2, $3, net "." substr($2, 5) ":2137", $2, svc, $1 }')
    got=$(jq -r --arg s "$svc" '.data.result[].metric | select(.job == "swarm" and .name == $s)
        | [.task, .node, .task_slot, .instance, .host, .service, .container] | join(" ")' <<<"$P_SERIES" | sort)
    [[ $got == "$want" ]] || fail_check "Prometheus: swarm job has for $svc [$(echo $got)], expected [$(echo $want)]" || return 1
  done
  want=$(awk -v net="$NET" 'NF { print $1, $2, net "." substr($2, 5) ":2137", $2 }' <<<"$SD_EXPORTERS")
  got=$(jq -r '.data.result[].metric | select(.job == "swarm" and .name == "exporter")
      | [.task, .node, .instance, .host] | join(" ")' <<<"$P_SERIES" | sort)
  [[ $got == "$want" ]] || fail_check "Prometheus: swarm job has exporters [$(echo $got)], the managers list [$(echo $want)]" || return 1
  got=$(jq -r '.data.result[].metric | select(.job == "swarm") | .name' <<<"$P_SERIES" | sort -u | xargs)
  [[ $got == "exporter pair single" ]] || fail_check "Prometheus: swarm job has names [$got]" || return 1
}

# The -local jobs: each running task's series exactly once, under the instance of the node that runs
# it (each live node's exporter under its own); nothing from a lost node.
local_series_ok() {
  local svc want got
  targets_ok local || return 1
  for svc in exporter single pair; do
    want=$(task_rows "$svc" | awk -v net="$NET" '{ print $1, net "." substr($2, 5) ":2137", $2 }')
    got=$(jq -r --arg j "$svc-local" '.data.result[].metric | select(.job == $j)
        | [.task, .instance, .host] | join(" ")' <<<"$P_SERIES" | sort)
    [[ $got == "$want" ]] || fail_check "Prometheus: $svc-local has [$(echo $got)], expected [$(echo $want)]" || return 1
  done
}

all_ok() { served_ok && prometheus_ok; }

set_live() {
  LIVE_N="$*"; LIVE=""; LIVE_IP=""; LIVE_MANAGERS=""
  local n
  for n in "$@"; do
    LIVE+="node$n "; LIVE_IP+="$NET.$n:2137 "
    ((n == WORKER)) || LIVE_MANAGERS+="$n "
  done
}

# Since when (seconds since T0, in KIND_S[kind]) each kind of job has held, up to now; "" when it
# does not hold now. Returns whether all hold; PROBLEM is the first failure. T0 T
KINDS=(original swarm local)
declare -A KIND_S
kinds_ok() {
  local kind first="" all=0
  prom_fetch || { for kind in "${KINDS[@]}"; do KIND_S[$kind]=""; done; return 1; }
  for kind in "${KINDS[@]}"; do
    if "${kind}_series_ok"; then
      [[ -n ${KIND_S[$kind]} ]] || KIND_S[$kind]=$(secs "$1" "$2")
    else
      KIND_S[$kind]=""; all=1; [[ -n $first ]] || first=$PROBLEM
    fi
  done
  PROBLEM=$first
  return $all
}

# Waits until all_ok holds; sets CONVERGED_S (seconds since $1), SWARM_S (first time the Swarm ran
# every replica on a live node), SERVED_S (since when served_ok held, up to convergence) and
# KIND_S (since when Prometheus' view through each kind of job held).
await_converged() { # T0 BOUND_INTERVALS WHAT
  local t0=$1 bound=$(($2 * INTERVAL)) what=$3 t kind
  SERVED_S=""; SWARM_S=""
  for kind in "${KINDS[@]}"; do KIND_S[$kind]=""; done
  while :; do
    t=$(now)
    [[ -z $SWARM_S ]] && swarm_ok && SWARM_S=$(secs "$t0" "$t")
    if served_ok; then
      [[ -n $SERVED_S ]] || SERVED_S=$(secs "$t0" "$t")
      if kinds_ok "$t0" "$t"; then CONVERGED_S=$(secs "$t0" "$t"); break; fi
    else
      SERVED_S="" # must hold together with Prometheus' view
      for kind in "${KINDS[@]}"; do KIND_S[$kind]=""; done
    fi
    awk -v a="$t0" -v b="$t" -v l="$bound" 'BEGIN { exit !(b - a > l) }' &&
      die "$what: not converged within $2 intervals ($bound s): $PROBLEM"
    sleep 0.5
  done
  # And it stays so for two more intervals.
  sleep "$((2 * INTERVAL))"
  all_ok || die "$what: converged after ${CONVERGED_S} s, then no longer: $PROBLEM"
}

where() { dk 1 service ps "demo_$1" --filter desired-state=running --format '{{.Node}}' | sort | xargs | tr ' ' ','; }
intervals() { awk -v s="$1" -v i="$INTERVAL" 'BEGIN { printf "%.1f", s / i }'; }
promv() { promq "$1" | jq -r '.data.result[0].value[1] // 0'; }

# demo_task_info series of single and pair that Prometheus holds per job kind, and the tasks:
# "original swarm local tasks nodes" (nodes: how many each original job lists that are up).
series_counts() {
  echo "$(promv 'count(demo_task_info{job=~"single|pair"})') $(promv 'count(demo_task_info{job="swarm", name=~"single|pair"})')" \
    "$(promv 'count(demo_task_info{job=~"single-local|pair-local"})') $(( $(task_rows single | grep -c .) + $(task_rows pair | grep -c .) ))" \
    "$(promv 'count(up{job="single"} == 1)')"
}

# After a convergence: the counts agree with the kinds (original: tasks × nodes up; swarm and
# local: tasks), and SWARM_EXPORTERS notes whose exporters the swarm job has. STEP
SWARM_EXPORTERS=""
check_counts() {
  local original swarm local tasks nodes exporters
  read -r original swarm local tasks nodes <<<"$(series_counts)"
  ((original == tasks * nodes && swarm == tasks && local == tasks)) ||
    die "$1: series of single+pair: original $original (expected $tasks × $nodes), swarm $swarm, local $local (expected $tasks each)"
  exporters=$(promq 'demo_task_info{job="swarm", name="exporter"}' | jq -r '.data.result[].metric.node' | sort | xargs | tr ' ' ,)
  SWARM_EXPORTERS+="${SWARM_EXPORTERS:+; }$1: ${exporters:-none}"
  log "$1: Prometheus agreed through the original jobs after ${KIND_S[original]} s, the swarm job after ${KIND_S[swarm]} s, the -local jobs after ${KIND_S[local]} s"
  log "$1: series of single+pair stored: original $original (= $tasks tasks × $nodes nodes), swarm $swarm, local $local; swarm job's exporters: ${exporters:-none}"
}

# One line of the summary table, from the last await_converged: STEP BOUND [WHERE-PREFIX]
row() {
  local original swarm local tasks nodes
  read -r original swarm local tasks nodes <<<"$(series_counts)"
  echo "| $1 | $SWARM_S s | $SERVED_S s | ${KIND_S[original]} / ${KIND_S[swarm]} / ${KIND_S[local]} s | $CONVERGED_S s | $(intervals "$CONVERGED_S") (bound $2) | $(promv 'count(up == 1)')/$(promv 'count(up)') | $original (= $tasks × $nodes) / $swarm / $local (tasks: $tasks) | ${3:-}single on $(where single); pair on $(where pair) |"
}

declare -A REPLICAS=([single]=1 [pair]=2)
set_live 1 2 3

# ---------------------------------------------------------------------------------------------
# 6. Steady state
# ---------------------------------------------------------------------------------------------
log "waiting for the first steady state (every target up, every series where it belongs)"
T_DEPLOY=$(now)
await_converged "$T_DEPLOY" 60 "first steady state"
FIRST_S=$CONVERGED_S
TARGETS_UP=$(promq 'count(up == 1)' | jq -r '.data.result[0].value[1]')
TARGETS_ALL=$(promq 'count(up)' | jq -r '.data.result[0].value[1]')
PEERS_UP=$(promq 'sum(app_metrics_proxy_peer_up)' | jq -r '.data.result[0].value[1] // 0')
log "steady after $FIRST_S s (Swarm ran every task after $SWARM_S s): targets up $TARGETS_UP/$TARGETS_ALL; single on $(where single), pair on $(where pair)"
log "a two-replica body through node1:"
curl -fsS "http://$NET.1:2137/pair/metrics" | sed 's/^/    /'
for n in "${NODES[@]}"; do
  ((n == WORKER)) && continue
  log "node$n's /api/sd?scope=swarm (the swarm job's source), one group a line:"
  curl -fsS "http://$NET.$n:2137/api/sd?scope=swarm" |
    jq -r '.[] | "    \(.targets | join(",")) \(.labels.__metrics_path__)?container=\(.labels.__param_container) " +
      (.labels | del(.__metrics_path__, .__param_container) | to_entries | map("\(.key)=\(.value)") | join(" "))'
done
for n in "${NODES[@]}"; do
  role=$(curl -fsS "http://$NET.$n:2137/api/peers" | jq -r '"\(.role) drives=\(.drives) peers=\([.peers[] | "\(.name):\(.up)"] | join(","))"')
  log "node$n: $role"
done
# The image runs the JVM as tomcat/setenv.sh says: the serial collector, at most 256 MB of heap.
for n in "${NODES[@]}"; do
  jvm=$(curl -fsS "http://$NET.$n:2137/metrics")
  grep -q 'MarkSweepCompact' <<<"$jvm" || die "node$n: the JVM does not run the serial collector of setenv.sh"
  heap=$(awk '$1 == "jvm_memory_max_bytes{area=\"heap\"}" { printf "%d", $2 / 1048576 }' <<<"$jvm")
  [[ -n "$heap" && "$heap" -le 256 ]] || die "node$n: heap max ${heap:-unknown} MiB, not setenv.sh's 256"
done
log "JVM options of tomcat/setenv.sh in effect on every node (serial collector, heap max $heap MiB)"
# The replication password is a Swarm secret: in no service spec, page, JSON or metric.
dk 1 service inspect monitoring_app-metrics-proxy | grep -qF -- "$SSHPASS" && die "SSHPASS is in the service spec"
for n in "${NODES[@]}"; do
  for path in "" api/targets api/peers metrics; do
    curl -fsS "http://$NET.$n:2137/$path" | grep -qF -- "$SSHPASS" && die "SSHPASS is served by node$n at /$path"
  done
done
log "the replication password (a Swarm secret) is in no service spec, page, JSON or metric"
check_counts "steady state"
STEADY_ROW=$(row "deploy (steady state)" 60)

# ---------------------------------------------------------------------------------------------
# 7. Faults, watched for half-written bodies
# ---------------------------------------------------------------------------------------------
# Every 0.3 s, every live node's /exporter, /single and /pair: a 200 must be a complete, valid
# exposition (promtool parses it; every task has both of its families; the last line is whole).
cat >"$WORK/watch.sh" <<'EOF'
#!/usr/bin/env bash
net=$1; work=$2
checked=0; bad=0; missing=0
while :; do
  for n in 1 2 3; do
    [[ -e $work/lost$n ]] && continue
    for svc in exporter single pair; do
      code=$(curl -sS -m 2 -o "$work/watch.body" -w '%{http_code}' "http://$net.$n:2137/$svc/metrics" 2>/dev/null)
      rc=$?
      # A cut connection or a timeout is not a body served: counted apart.
      if ((rc == 0)); then code="HTTP $code"; else code="cut (curl exit $rc)"; fi
      [[ $code == "HTTP 200" ]] || { missing=$((missing + 1)); echo "$(date +%T.%N) node$n /$svc/metrics: $code" >>"$work/watch.log"; continue; }
      checked=$((checked + 1))
      problem=""
      [[ $(tail -c1 "$work/watch.body" | od -An -c | tr -d ' ') == '\n' ]] || problem="no final newline"
      if [[ -z $problem ]]; then
        promtool check metrics <"$work/watch.body" >"$work/watch.promtool" 2>&1 || problem="promtool: $(head -c 300 "$work/watch.promtool")"
      fi
      if [[ -z $problem ]]; then
        infos=$(grep -c '^demo_task_info{' "$work/watch.body"); slots=$(grep -c '^demo_task_slot' "$work/watch.body")
        [[ $infos -ge 1 && $infos == "$slots" ]] || problem="$infos demo_task_info, $slots demo_task_slot samples"
      fi
      if [[ -n $problem ]]; then
        bad=$((bad + 1))
        { echo "$(date +%T.%N) node$n /$svc/metrics: $problem"; sed 's/^/    /' "$work/watch.body"; } >>"$work/watch.log"
      fi
    done
  done
  echo "$checked $bad $missing" >"$work/watch.counts.tmp" && mv "$work/watch.counts.tmp" "$work/watch.counts"
  sleep 0.3
done
EOF
bash "$WORK/watch.sh" "$NET" "$WORK" </dev/null >/dev/null 2>&1 &
echo $! >"$WORK/watch.pid"

log "fault 1: scaling pair from 2 to 3 replicas"
T_SCALE=$(now)
dk 1 service scale --detach demo_pair=3 >/dev/null
REPLICAS[pair]=3
await_converged "$T_SCALE" "$SCALE_BOUND" "scale pair 2 -> 3"
SCALE_S=$CONVERGED_S
log "converged after $SCALE_S s ($(intervals "$SCALE_S") intervals; Swarm ran the replica after $SWARM_S s, every node served it after $SERVED_S s): pair on $(where pair)"
check_counts "after scaling"
SCALE_ROW=$(row "scale pair 2 -> 3" "$SCALE_BOUND")

[[ $(where pair) == *node$WORKER* ]] || die "no pair replica on the worker node$WORKER to lose (pair on $(where pair))"
log "fault 2: stopping the engine of node$WORKER (worker; pair runs on $(where pair), single on $(where single))"
touch "$WORK/lost$WORKER"
T_LOSS=$(now)
stop_pidfile "$WORK/node$WORKER/run/docker.pid" 40 &
STOPPER=$!
set_live 1 2
await_converged "$T_LOSS" "$LOSS_BOUND" "loss of node$WORKER"
LOSS_S=$CONVERGED_S
wait "$STOPPER" || true
DOWN_AT=$(dk 1 node inspect node$WORKER --format '{{.Status.State}}')
log "converged after $LOSS_S s ($(intervals "$LOSS_S") intervals; Swarm ran every replica on a live node after $SWARM_S s, served after $SERVED_S s): node$WORKER $DOWN_AT, pair on $(where pair), single on $(where single)"
check_counts "after the loss"
LOSS_ROW=$(row "stop node$WORKER's engine (worker)" "$LOSS_BOUND" "node$WORKER $DOWN_AT; ")

stop_pidfile "$WORK/watch.pid" 5
read -r CHECKED BAD MISSING <"$WORK/watch.counts"
((CHECKED > 0)) || die "the watcher checked no body"
touch "$WORK/watch.log"
NOT_SERVED=$(sed -n 's/^[0-9:.]* \(node[0-9] [^:]*\): \(.*\)$/\1 \2/p' "$WORK/watch.log" | sort | uniq -c | awk '{ c = $1; $1 = ""; printf "%s%s x%d", sep, substr($0, 2), c; sep = ", " }')
((BAD == 0)) || { cat "$WORK/watch.log"; die "$BAD of $CHECKED bodies served during the faults were incomplete or invalid"; }

# ---------------------------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------------------------
cat <<EOF

Swarm end to end: 3 nodes (node1, node2 managers; node$WORKER worker), SCRAPE_INTERVAL=$INTERVAL s, Prometheus scrape_interval $INTERVAL s
| step | Swarm runs every task | every live node serves them | Prometheus agrees through the original / swarm / -local jobs | all agree (converged) | intervals (bound) | targets up | series of single+pair stored: original / swarm / local | where |
|---|---|---|---|---|---|---|---|---|
$STEADY_ROW
$SCALE_ROW
$LOSS_ROW
Series stored per job kind (demo_task_info of single and pair): the original jobs once per node listed and up (tasks × nodes), the swarm job (managers' /api/sd?scope=swarm) and the -local jobs (scope=local) once per task.
Global exporter: the -local job has each live node's once; the swarm job has those the managers' sd lists, once each: $SWARM_EXPORTERS.
Times are seconds from the deploy / the fault. Peers up at steady state: $PEERS_UP (node1 and node2 drive exchanges with both others).
Bodies fetched every 0.3 s from every live node during the faults: $CHECKED complete and valid, $BAD half-written or invalid; not served: ${NOT_SERVED:-none}.
Total: $(($(date +%s) - START)) s (teardown follows)
EOF
