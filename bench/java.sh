#!/usr/bin/env bash
# Runs one of the benches written in Java (test sources) with the test classpath:
#   bench/java.sh MAIN_CLASS [ARGS...]; JAVA_BENCH_OPTS adds JVM options.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
main="$1"
shift
exec java ${JAVA_BENCH_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  "$main" "$@"
