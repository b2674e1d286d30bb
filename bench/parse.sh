#!/usr/bin/env bash
# Parse-and-check throughput (MB/s) of the scrape check on ~10 MB of the node exporter's output
# (src/test/resources/exposition/node-exporter.prom, copied with a distinct name prefix per copy).
# Usage: bash bench/parse.sh   (from anywhere; compiles the tests first, runs none; the JVM options of tomcat/setenv.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o test-compile -DskipTests >/dev/null
cp="target/classes:target/test-classes:$(mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout)"
exec java -XX:+UseSerialGC -Xms64m -Xmx256m -cp "$cp" io.appmetricsproxy.exposition.ParseBench
