#!/usr/bin/env bash
# What a thread hand-off (unpark, then park, both ways) costs in a JVM of many threads
# (io.appmetricsproxy.replicate.HandoffBench): for each count of idle threads, a JVM of its own
# with that many threads asleep times 100,000 hand-offs back and forth between two more; then a JVM
# with none beside one that holds the largest count asleep, to tell whether the cost is the JVM's
# or the machine's. A replication exchange wakes a waiting thread at each SFTP answer on each end,
# so that a bench of 200 nodes in one JVM (4,500 threads) pays each of them at that JVM's price.
#   bench/handoff.sh [THREADS...] (default 0 300 1200 4500); RUNS each (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
counts=("$@")
((${#counts[@]})) || counts=(0 300 1200 4500)
mvn -B -q test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
java_=(java -Xss256k -cp "$cp" io.appmetricsproxy.replicate.HandoffBench)
run() { "${java_[@]}" "$@"; }
echo "| threads in the JVM | one hand-off back and forth |"
echo "|---|---|"
for ((r = 1; r <= ${RUNS:-2}; r++)); do
  for n in "${counts[@]}"; do run "$n"; done
done
largest=$(printf '%s\n' "${counts[@]}" | sort -n | tail -1)
"${java_[@]}" "$largest" hold > /dev/null 2>&1 & # the JVM itself, so that the trap ends it
holder=$!
trap 'kill $holder 2>/dev/null || true' EXIT
sleep 5 # its threads started
echo "with $largest threads asleep in another JVM:"
for ((r = 1; r <= ${RUNS:-2}; r++)); do run 0; done
