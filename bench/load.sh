#!/usr/bin/env bash
# Load figures: the WAR in an embedded Tomcat cycling every 2 s over N real containers (busybox
# httpd, 50 series each) while wrk holds C connections on their /<name>/metrics for D seconds, and
# every name's body is checked by promtool meanwhile.
#   bench/load.sh [containers, default 110] [connections, default 1000] [seconds, default 60]
# The engine: -Dtest.docker.host / DOCKER_HOST, else the test kit's private dockerd.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk
ulimit -n 65536 2>/dev/null || true
mvn -B -q package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.appmetricsproxy.app.LoadBench "$@"
