#!/usr/bin/env bash
# Replication with many peers, on real deployments: for each N, N Tomcats with the WAR on loopback,
# each its own NODE_NAME, HTTP and replication port and the same SSHPASS, all scraping the same 5
# containers of a private engine (5 entries per node); node 1 has the other N - 1 as
# REPLICATION_PEERS and drives the rounds. Prints, read from node 1's /api/peers: the time from
# node 1's start until every peer's entries are served there and every exchange succeeded, then the median of 3 unchanged rounds
# (round wall from the first exchange's start to the last one's end, slowest peer, sum over peers,
# bytes on the wire, SSH sessions opened: one per peer exchanged with, node 1's CPU time between two
# rounds: its cycle and its round).
# Usage: bash bench/replication-peers.sh [N...] (default 5 10 20 40); WAR=path picks another WAR,
# NODE_JAVA_OPTS adds JVM options to every node (e.g. a JFR recording), INTERVAL (default 10) the
# scrape interval, CONVERGE_MAX (default 600) the seconds to wait for
# convergence. Needs root; cleans up on exit.
source "$(dirname "$0")/lib.sh"
sizes=("$@")
((${#sizes[@]})) || sizes=(5 10 20 40)
interval="${INTERVAL:-10}"
war="${WAR:-$ROOT/target/app-metrics-proxy.war}"
[ -f "$war" ] || (cd "$ROOT" && mvn -B -q package -DskipTests)
HTTP_BASE=21400
SSH_BASE=22400
SSHPASS_BENCH="bench-$RANDOM-$RANDOM-$$"
nodes_stop() {
  local f pid
  for f in "$BENCH_DIR"/node-*/tomcat.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f"); kill "$pid" 2>/dev/null || true
  done
  for f in "$BENCH_DIR"/node-*/tomcat.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$BENCH_DIR"/node-*
}
trap 'nodes_stop; bench_cleanup' EXIT
need curl curl
need jq jq
engine_start
printf '# TYPE bench_requests_total counter\nbench_requests_total{code="200"} 7\n' >"$BENCH_DIR/body"
image_import "$BENCH_DIR/body"
for i in 1 2 3 4 5; do
  $D run -d --name "app-$i" --label amp-bench=1 "$IMAGE" httpd -f -p 8080 -h /www >/dev/null
done
tgz=~/.m2/repository/org/apache/tomcat/tomcat/10.1.59/tomcat-10.1.59.tar.gz
[ -f "$tgz" ] || (cd "$ROOT" && mvn -B -q dependency:get -Dartifact=org.apache.tomcat:tomcat:10.1.59:tar.gz)
mkdir -p "$BENCH_DIR/home"
tar -xzf "$tgz" -C "$BENCH_DIR/home" --strip-components 1

# node_start I PEERS: node I in a CATALINA_BASE of its own over the shared CATALINA_HOME
node_start() {
  local base="$BENCH_DIR/node-$1"
  mkdir -p "$base"/{bin,conf,logs,temp,work,webapps}
  cp "$BENCH_DIR/home/conf/"* "$base/conf/"
  cp "$ROOT/tomcat/server.xml" "$base/conf/server.xml"
  cp "$ROOT/tomcat/setenv.sh" "$base/bin/setenv.sh"
  cp "$war" "$base/webapps/ROOT.war"
  env DOCKER_HOST="unix://$SOCK" STORE_DIR="$base/store" SSH_DIR="$base/ssh" NODE_NAME="n$1" \
    SSHPASS="$SSHPASS_BENCH" REPLICATION_PORT=$((SSH_BASE + $1)) REPLICATION_PEERS="$2" \
    SCRAPE_INTERVAL="$interval" CATALINA_HOME="$BENCH_DIR/home" CATALINA_BASE="$base" \
    CATALINA_PID="$base/tomcat.pid" CATALINA_OPTS="-Damp.http.port=$((HTTP_BASE + $1)) ${NODE_JAVA_OPTS:-}" \
    "$BENCH_DIR/home/bin/catalina.sh" run >"$base/catalina.log" 2>&1 &
  echo $! >"$base/tomcat.pid"
}
await_ready() { # await_ready I
  for _ in $(seq 600); do
    curl -sf "http://127.0.0.1:$((HTTP_BASE + $1))/-/ready" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "node $1 did not get ready: see $BENCH_DIR/node-$1/catalina.log" >&2
  return 1
}
# settle N: waits (3 minutes at most) until nodes 2..N, just started, use less than half a core
# together over 5 s: on separate machines their start-up (JIT) would not slow node 1's exchanges
settle() {
  local ticks; ticks=$(getconf CLK_TCK)
  for _ in $(seq 36); do
    local before=0 after=0 i
    for i in $(seq 2 "$1"); do before=$((before + $(cpu "$i"))); done
    sleep 5
    for i in $(seq 2 "$1"); do after=$((after + $(cpu "$i"))); done
    (((after - before) * 2 < ticks * 5)) && return 0
  done
}
cpu() { awk '{ print $14 + $15 }' "/proc/$(cat "$BENCH_DIR/node-$1/tomcat.pid")/stat"; }
peers_json() { curl -sf "http://127.0.0.1:$((HTTP_BASE + 1))/api/peers"; }
replicated() { # entries of other nodes served on node 1
  curl -sf "http://127.0.0.1:$((HTTP_BASE + 1))/api/targets" |
    jq '[.targets[] | select(.origin == "replicated" and .served)] | length'
}
# one round's figures from /api/peers: wall, slowest, sum (s), bytes, peers up
round_figures() {
  jq -r '[.peers[] | {s: (.lastAttempt | sub("\\.[0-9]+Z$"; "Z") | fromdate), a: .lastAttempt, d: .durationSeconds, b: (.bytesSent + .bytesReceived), up: .up}] as $p
    | ($p | map(.a | capture("\\.(?<f>[0-9]+)Z$").f // "0" | ("0." + .) | tonumber)) as $frac
    | [range(0; $p | length) | ($p[.].s + $frac[.])] as $beg
    | [range(0; $p | length) | ($beg[.] + $p[.].d)] as $fin
    | "\(($fin | max) - ($beg | min)) \($p | map(.d) | max) \($p | map(.d) | add) \($p | map(.b) | add) \($p | map(select(.up)) | length)"'
}

echo "| N | converged after | round wall | slowest peer | sum over peers | bytes per round | sessions | node 1 CPU per interval |"
echo "|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  peers=""
  for i in $(seq 2 "$n"); do
    node_start "$i" ""
    peers="$peers${peers:+,}127.0.0.1:$((SSH_BASE + i))"
  done
  for i in $(seq 2 "$n"); do await_ready "$i"; done
  settle "$n"
  start=$(date +%s%N)
  node_start 1 "$peers"
  await_ready 1
  want=$((5 * (n - 1)))
  converged=""
  deadline=$((start + ${CONVERGE_MAX:-600} * 1000000000))
  while [ "$(date +%s%N)" -lt "$deadline" ]; do
    got=$(replicated || echo 0)
    up=$(peers_json | jq '[.peers[] | select(.up)] | length' || echo 0)
    if [ "$got" = "$want" ] && [ "$up" = $((n - 1)) ]; then
      converged=$((($(date +%s%N) - start) / 1000000))
      break
    fi
    sleep 0.5
  done
  if [ -z "$converged" ]; then
    echo "| $n | not in ${CONVERGE_MAX:-600} s: $got of $want entries, $up of $((n - 1)) peers up | | | | | | |"
    nodes_stop
    continue
  fi
  rounds=()
  last=$(peers_json | jq -r .lastRound)
  cpu0=""
  while ((${#rounds[@]} < 3)); do
    sleep 0.5
    json=$(peers_json)
    now=$(jq -r .lastRound <<<"$json")
    [ "$now" != "$last" ] || continue
    last=$now
    cpu1=$(cpu 1)
    # the first new round only starts the CPU count
    [ -z "$cpu0" ] || rounds+=("$(round_figures <<<"$json") $(((cpu1 - cpu0) * 1000 / $(getconf CLK_TCK)))")
    cpu0=$cpu1
  done
  printf '%s\n' "${rounds[@]}" | sort -n | sed -n 2p | awk -v n="$n" -v c="$converged" \
    '{ printf "| %d | %.1f s | %.2f s | %.3f s | %.1f s | %.0f KB | %d | %.2f s |\n", n, c / 1000, $1, $2, $3, $4 / 1000, $5, $6 / 1000 }'
  nodes_stop
done
