#!/usr/bin/env bash
# The replication client's smallest requests against the replication server over loopback (both
# real, in one JVM): session open, stat, and the read of a 20-byte file; median and max of N sessions.
#   bench/sftp-read.sh [sessions, default 50]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.appmetricsproxy.replicate.SftpReadBench "$@"
