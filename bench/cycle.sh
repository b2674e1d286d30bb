#!/usr/bin/env bash
# Benchmark 1: cycle time at 60 and 300 containers (two thirds serve 100 KB of metrics on 8080, one
# third serve nothing): the proxy's app_metrics_proxy_cycle_duration_seconds against the wall time
# of the original script's algorithm (bench/original.sh) on the same containers, side by side.
# Usage: bash bench/cycle.sh [COUNTS...]   (default: 60 300). Needs root; cleans up on exit.
source "$(dirname "$0")/lib.sh"
counts=("${@:-60 300}")
[ $# -gt 0 ] || counts=(60 300)
trap bench_cleanup EXIT
need curl curl
engine_start
body_file 102400 "$BENCH_DIR/body"
image_import "$BENCH_DIR/body"
proxy_start SCRAPE_INTERVAL=5
rows=()
have=0
for n in "${counts[@]}"; do
  containers $((n - have)) "c$have"
  have=$n
  # let the proxy see them all, then take the median of 5 cycles
  for _ in $(seq 60); do
    t=$(metric app_metrics_proxy_targets); [ "${t%.*}" -ge "$n" ] 2>/dev/null && break; sleep 1
  done
  samples=()
  last=$(metric app_metrics_proxy_cycles_total)
  while [ ${#samples[@]} -lt 5 ]; do
    sleep 0.5
    c=$(metric app_metrics_proxy_cycles_total)
    if [ "$c" != "$last" ]; then last=$c; samples+=("$(metric app_metrics_proxy_cycle_duration_seconds)"); fi
  done
  proxy=$(printf '%s\n' "${samples[@]}" | sort -g | sed -n 3p)
  up=$(curl -sf "http://127.0.0.1:$PROXY_PORT/api/targets" | grep -o '"up": *true' | wc -l)
  start=$(date +%s.%N)
  DOCKER_HOST="unix://$SOCK" bash "$(dirname "$0")/original.sh" "$BENCH_DIR/original-$n"
  peer=$(echo "$(date +%s.%N) - $start" | bc -l)
  got=$(ls "$BENCH_DIR/original-$n" | wc -l)
  rows+=("$(printf '| %d | %d / %d | %.3f s | %d | %.1f s | %.0fx |' "$n" "$up" "$n" "$proxy" "$got" "$peer" "$(echo "$peer / $proxy" | bc -l)")")
done
echo
echo "| containers | proxy: up / targets | proxy cycle (median of 5) | original: files | original: wall time | ratio |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
