#!/usr/bin/env bash
# Replication rounds with many peers in one JVM (io.appmetricsproxy.app.PeersBench): one driving
# proxy and N - 1 answering ones, each with its own store, SFTP server on loopback and 5 entries;
# the exchanges' own figures, without N JVMs competing for the cores.
#   bench/replication-peers-jvm.sh [N...] (default 5 10 20 40)
export JAVA_BENCH_OPTS=-Xmx1g
exec bash "$(dirname "$0")/java.sh" io.appmetricsproxy.app.PeersBench "$@"
