#!/usr/bin/env bash
# Benchmark 1: cycle time. The proxy's app_metrics_proxy_cycle_duration_seconds (and the engine
# list's part of it, app_metrics_proxy_discovery_duration_seconds) beside two peers on
# the same containers: a bare prober (bench ProbeBench: one engine list, 64 threads, ports 80, 8080,
# 9100 in turn, GET only) and the original script's algorithm (bench/original.sh).
# Usage: [MIX=large|small] bash bench/cycle.sh [COUNTS...]   (default: 60 300). Needs root; cleans
# up on exit. A third of the containers serve nothing; the others serve, with MIX=large (default)
# 100 KB on 8080, with MIX=small 2 KB on 8080 or 9100 (one in two each).
# PROXY_ENV adds settings (e.g. SCRAPE_CONCURRENCY=64), PROXY_JAVA_OPTS JVM options to the proxy's (e.g. -XX:StartFlightRecording=...).
source "$(dirname "$0")/lib.sh"
counts=("$@")
[ $# -gt 0 ] || counts=(60 300)
mix="${MIX:-large}"
case "$mix" in
  large) size=102400 ports=(8080) ;;
  small) size=2048 ports=(8080 9100) ;;
  *) echo "MIX: expected large or small, found \"$mix\"" >&2; exit 2 ;;
esac
trap bench_cleanup EXIT
need curl curl
(cd "$ROOT" && mvn -B -q -o test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null)
probe_cp="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$ROOT/target/bench.classpath")"
engine_start
body_file "$size" "$BENCH_DIR/body"
image_import "$BENCH_DIR/body"
proxy_start SCRAPE_INTERVAL=5 ${PROXY_ENV:-} # PROXY_ENV: more VAR=VALUE settings
rows=()
have=0
for n in "${counts[@]}"; do
  containers $((n - have)) "c$have" "${ports[@]}"
  have=$n
  # let the proxy see them all, then take the median of 5 cycles
  for _ in $(seq 60); do
    t=$(metric app_metrics_proxy_targets); [ "${t%.*}" -ge "$n" ] 2>/dev/null && break; sleep 1
  done
  samples=() lists=()
  last=$(metric app_metrics_proxy_cycles_total)
  while [ ${#samples[@]} -lt 5 ]; do
    sleep 0.5
    c=$(metric app_metrics_proxy_cycles_total)
    if [ "$c" != "$last" ]; then
      last=$c
      samples+=("$(metric app_metrics_proxy_cycle_duration_seconds)")
      lists+=("$(metric app_metrics_proxy_discovery_duration_seconds)")
    fi
  done
  echo "proxy cycles at $n: ${samples[*]}; their discoveries: ${lists[*]}" >&2
  proxy=$(printf '%s\n' "${samples[@]}" | sort -g | sed -n 3p)
  proxy_list=$(printf '%s\n' "${lists[@]}" | sort -g | sed -n 3p)
  up=$(curl -sf "http://127.0.0.1:$PROXY_PORT/api/targets" | grep -o '"up": *true' | wc -l)
  # the prober between two of the proxy's cycles (SCRAPE_INTERVAL=5, a pass takes well under 1 s)
  probe=$(java -XX:+UseSerialGC -cp "$probe_cp" io.appmetricsproxy.scrape.ProbeBench "$SOCK")
  echo "$probe" >&2
  prober=$(sed -E 's/.*wall ([0-9.]+) s.*/\1/' <<<"$probe")
  prober_list=$(sed -E 's/.*; list ([0-9.]+) s$/\1/' <<<"$probe")
  answered=$(sed -E 's/^prober: ([0-9]+) answered.*/\1/' <<<"$probe")
  start=$(date +%s.%N)
  DOCKER_HOST="unix://$SOCK" bash "$(dirname "$0")/original.sh" "$BENCH_DIR/original-$n"
  peer=$(echo "$(date +%s.%N) - $start" | bc -l)
  got=$(ls "$BENCH_DIR/original-$n" | wc -l)
  rows+=("$(printf '| %d | %d / %d | %.3f s | %.3f s | %d | %.3f s | %.3f s | %.2fx | %d | %.1f s | %.0fx |' \
    "$n" "$up" "$n" "$proxy" "$proxy_list" "$answered" "$prober" "$prober_list" "$(echo "$prober / $proxy" | bc -l)" \
    "$got" "$peer" "$(echo "$peer / $proxy" | bc -l)")")
done
echo
echo "MIX=$mix"
echo "| containers | proxy: up / targets | proxy cycle (median of 5) | its discovery (median) | prober: answered | prober: wall (median of 5) | its list (median) | proxy vs prober | original: files | original: wall time | proxy vs original |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
