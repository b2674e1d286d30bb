#!/usr/bin/env bash
# Replication rounds with many peers in one JVM (io.appmetricsproxy.app.PeersBench): one driving
# proxy and N - 1 answering ones, each with its own store, SFTP server on loopback and 5 entries;
# the exchanges' own figures, without N JVMs competing for the cores.
#   bench/replication-peers-jvm.sh [N...] (default 5 10 20 40)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.appmetricsproxy.app.PeersBench "$@" 2> target/peers-bench.log
