# Shared by the bench scripts: a private Docker engine, a busybox image, the proxy in Tomcat 10.1.
# Everything lives under $BENCH_DIR and is removed by bench_cleanup (trap it on EXIT).
# Traffic goes only to loopback and to containers started here.
set -euo pipefail
trap 'exit 143' INT TERM # so that the EXIT trap cleans up
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-/tmp/amp-bench-$$}"
BENCH_BRIDGE="${BENCH_BRIDGE:-amp-bench0}"
BENCH_CIDR="${BENCH_CIDR:-10.201.0.1/22}" # room for 1,000 containers
PROXY_PORT="${PROXY_PORT:-21370}"
SOCK="$BENCH_DIR/docker.sock"
D="docker -H unix://$SOCK"
IMAGE=amp-bench-busybox

need() { # need CMD PACKAGE: installs the Debian package if the command is missing
  command -v "$1" >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null
}

engine_start() {
  # one run at a time: the bridge is shared, and a run's cleanup deletes it
  exec 9>/tmp/amp-bench.lock
  # builds and tests that must not share the cores with a bench take it shared (flock -s)
  if ! flock -n 9; then
    echo "waiting for /tmp/amp-bench.lock: another bench, or a build holding it shared" >&2
    flock 9
  fi
  mkdir -p "$BENCH_DIR"
  if ! ip link show "$BENCH_BRIDGE" >/dev/null 2>&1; then
    ip link add "$BENCH_BRIDGE" type bridge
    ip addr add "$BENCH_CIDR" dev "$BENCH_BRIDGE"
    ip link set "$BENCH_BRIDGE" up
  fi
  dockerd --host "unix://$SOCK" --data-root "$BENCH_DIR/data" --exec-root "$BENCH_DIR/exec" \
    --pidfile "$BENCH_DIR/docker.pid" --bridge "$BENCH_BRIDGE" --iptables=false --ip-masq=false \
    >"$BENCH_DIR/dockerd.log" 2>&1 &
  for _ in $(seq 60); do $D info >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "dockerd did not start: see $BENCH_DIR/dockerd.log" >&2
  return 1
}

# image_import BODY_FILE: static busybox with httpd, sh, sleep, and BODY_FILE at /www/metrics
image_import() {
  need busybox busybox-static
  local dir="$BENCH_DIR/image"
  mkdir -p "$dir/bin" "$dir/www"
  cp "$(command -v busybox)" "$dir/bin/busybox"
  for app in sh httpd sleep; do ln -sf busybox "$dir/bin/$app"; done
  cp "$1" "$dir/www/metrics"
  tar -C "$dir" -c . | $D import - "$IMAGE" >/dev/null
}

# body_file SIZE_BYTES FILE: a valid Prometheus text exposition of about SIZE_BYTES
body_file() {
  awk -v size="$1" 'BEGIN {
    print "# HELP bench_requests_total Requests by path."; print "# TYPE bench_requests_total counter"
    n = 0; total = 80
    while (total < size) { line = sprintf("bench_requests_total{path=\"/api/v1/resource/%06d\",code=\"200\"} %d", n, n * 7)
      print line; total += length(line) + 1; n++ }
  }' >"$2"
}

# containers COUNT PREFIX [PORT...]: a third serve nothing (every third one runs `sleep`), the
# others serve /www/metrics on the PORTs in turn (default 8080)
containers() {
  local n=$1 prefix=$2 i
  shift 2
  local ports=("${@:-8080}")
  for i in $(seq 1 "$n"); do
    if ((i % 3 == 0)); then
      echo "$i sleep 2147483647"
    else
      echo "$i httpd -f -p ${ports[$(((i - 1 - i / 3) % ${#ports[@]}))]} -h /www"
    fi
  done | xargs -P 8 -L 1 sh -c "$D run -d --name $prefix-\$0 --label amp-bench=1 $IMAGE \"\$@\" >/dev/null"
}

containers_remove() {
  local ids
  ids=$($D ps -aq --filter label=amp-bench=1 2>/dev/null || true)
  # bounded: an engine overloaded by 1,000 removals once hung (containers_kill ends them first)
  [ -z "$ids" ] || echo "$ids" | timeout 300 xargs -P 8 -n 20 $D rm -f >/dev/null 2>&1 || true
}

# proxy_start [VAR=VALUE...]: the WAR as ROOT.war in Tomcat 10.1 (Maven Central) on $PROXY_PORT, set
# up as the Dockerfile does (server.xml, setenv.sh); PROXY_JAVA_OPTS adds JVM options after those
proxy_start() {
  local war="$ROOT/target/app-metrics-proxy.war"
  [ -f "$war" ] || (cd "$ROOT" && mvn -B -q package -DskipTests)
  local tgz=~/.m2/repository/org/apache/tomcat/tomcat/10.1.59/tomcat-10.1.59.tar.gz
  [ -f "$tgz" ] || (cd "$ROOT" && mvn -B -q dependency:get -Dartifact=org.apache.tomcat:tomcat:10.1.59:tar.gz)
  rm -rf "$BENCH_DIR/tomcat"
  mkdir -p "$BENCH_DIR/tomcat"
  tar -xzf "$tgz" -C "$BENCH_DIR/tomcat" --strip-components 1
  rm -rf "$BENCH_DIR/tomcat/webapps/"*
  cp "$ROOT/tomcat/server.xml" "$BENCH_DIR/tomcat/conf/server.xml"
  cp "$ROOT/tomcat/setenv.sh" "$BENCH_DIR/tomcat/bin/setenv.sh" # the JVM options of the image
  cp "$war" "$BENCH_DIR/tomcat/webapps/ROOT.war"
  env DOCKER_HOST="unix://$SOCK" STORE_DIR="$BENCH_DIR/store" "$@" \
    CATALINA_PID="$BENCH_DIR/tomcat.pid" CATALINA_OPTS="-Damp.http.port=$PROXY_PORT ${PROXY_JAVA_OPTS:-}" \
    "$BENCH_DIR/tomcat/bin/catalina.sh" run >"$BENCH_DIR/tomcat.log" 2>&1 &
  echo $! >"$BENCH_DIR/tomcat.pid"
  for _ in $(seq 120); do
    curl -sf "http://127.0.0.1:$PROXY_PORT/-/ready" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "the proxy did not get ready: see $BENCH_DIR/tomcat.log" >&2
  return 1
}

proxy_stop() {
  if [ -f "$BENCH_DIR/tomcat.pid" ]; then
    local pid; pid=$(cat "$BENCH_DIR/tomcat.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    rm -f "$BENCH_DIR/tomcat.pid"
  fi
}

# metric NAME: the proxy's own gauge value
metric() {
  curl -sf "http://127.0.0.1:$PROXY_PORT/metrics" | awk -v m="$1" '$1 == m { print $2 }'
}

# containers_kill: SIGKILLs the containers' processes (the children of this engine's shims). An
# engine busy with 1,000 removals did not end them in 300 s, nor when it was stopped.
containers_kill() {
  local shim
  for shim in $(pgrep -f -- "-address $BENCH_DIR/exec/" || true); do
    pkill -KILL -P "$shim" 2>/dev/null || true
  done
}

results_best() { # results_best WHAT: the best requests/s of WHAT in $BENCH_DIR/results, and its bytes
  awk -v w="$1" '$1 == w && $2 > r { r = $2; b = $3 } END { print r, b }' "$BENCH_DIR/results"
}

bench_cleanup() {
  proxy_stop
  if [ -f "$BENCH_DIR/docker.pid" ]; then
    containers_kill
    containers_remove
    local pid; pid=$(cat "$BENCH_DIR/docker.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    pkill -KILL -f -- "-address $BENCH_DIR/exec/" 2>/dev/null || true # shims the engine left
    mount | awk -v d="$BENCH_DIR/" 'index($3, d) == 1 { print $3 }' | sort -r | xargs -r -n 1 umount -l 2>/dev/null || true
  fi
  ip link del "$BENCH_BRIDGE" 2>/dev/null || true
  rm -rf "$BENCH_DIR"
}
