#!/usr/bin/env bash
# Replication at scale, in one JVM (io.appmetricsproxy.app.ScaleBench): for each N, N
# proxies each with its own store, SFTP server on a loopback port and 5 entries of 10 KB; three
# managers drive the rounds, the others answer; 1 % of all entries change each interval. Each node's
# cycle runs at its own moment of the interval (node i of N at i/N of it), as the nodes of a cluster
# run theirs on their own schedules; all 200 at once on 2 cores would hold up the rounds. Prints each
# measured round of one manager (wall, CPU of its client threads and the round's own, SFTP requests, SSH handshakes,
# bytes on the wire, change -> served on another worker; the interval's failed scrapes and the nodes
# whose own folder got a new generation), the medians, and last the line
#   replication-scale: nodes N managers 3 round_wall_s W round_cpu_s C requests R handshakes H
#   unchanged_bytes_per_peer B change_to_served_s S
# (unchanged bytes: the median per peer of a round after an interval without change; where that
# round still moved entries of the measured intervals, of up to two more such rounds)
# for the largest N. Before the medians, three rounds of n1 alone: every node's cycle, then n1's
# round with no other manager, cycle or change running (the medians line ends with theirs, also
# per exchange: the client's CPU and the whole JVM's, which includes the peers' servers).
#   bench/replication-scale.sh [N...] (default 10 50 200); INTERVAL (default 10 s), ROUNDS measured
#   (default 5), WARMUP_MAX seconds to converge (default 300), SEED (default 1); JAVA_BENCH_OPTS
#   adds JVM options (e.g. -XX:StartFlightRecording=...)
# The warm-up ends once the nodes converged and the JIT settled: the JVMs' compilers spent at most
# JIT_SETTLED seconds (default 10 % of the interval) in each of its last two intervals; the rounds'
# JIT column is theirs in each measured interval (a cluster's nodes run for days, their compilers
# idle). At 200 on 2 cores that takes 2-5 minutes: WARMUP_MAX=300.
# SEED=1: before the warm-up every node's folder (its entries, then .alive) is kept in every other
# node's store as replication would have left it (Store.keep, in process), so the warm-up only
# reaches steady state and the rounds measured are steady-state rounds; the FIRST COPY IS NOT
# MEASURED. SEED=0: the stores start empty and the warm-up does the first copy (N * (N-1) * 5
# entry files; at N = 200 it does not end on a 2-core machine). MAX_AGE: the proxies' (default
# theirs, 3 intervals); at N = 200 seeded on 2 cores the first rounds (new sessions) and the 200
# cycles of an interval take longer than that, and the stores forget the seeded folders before the
# managers confirm them: run with MAX_AGE=120 there. SPLIT=1: n1, the manager measured, runs in a
# JVM of its own (io.appmetricsproxy.app.ScaleNode), as a manager of a cluster does, the other
# N - 1 nodes in the bench's; its JVM CPU column is then both JVMs'.
sizes=("$@")
((${#sizes[@]})) || sizes=(10 50 200)
sorted=$(printf '%s\n' "${sizes[@]}" | sort -n | tr '\n' ' ')
export JAVA_BENCH_OPTS="${JAVA_BENCH_OPTS:-} -Xmx12g -Xss512k -Dinterval=${INTERVAL:-10} -Drounds=${ROUNDS:-5} -Dwarmup=${WARMUP_MAX:-300}"
JAVA_BENCH_OPTS+=" -DmaxAge=${MAX_AGE:-}"
[[ -n ${JIT_SETTLED:-} ]] && JAVA_BENCH_OPTS+=" -DjitSettled=$JIT_SETTLED"
JAVA_BENCH_OPTS+=" -Dseed=$([[ ${SEED:-1} == 0 ]] && echo false || echo true)"
JAVA_BENCH_OPTS+=" -Dsplit=$([[ ${SPLIT:-0} == 1 ]] && echo true || echo false)"

# shellcheck disable=SC2086 # the sizes, smallest first, so that the last line is the largest N's
exec bash "$(dirname "$0")/java.sh" io.appmetricsproxy.app.ScaleBench $sorted
