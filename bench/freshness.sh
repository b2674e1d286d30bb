#!/usr/bin/env bash
# Benchmark 2: freshness with SCRAPE_INTERVAL=10. For each of 20 containers (busybox httpd, 100 KB
# of metrics): from `docker run -d` returning (the container runs) to its /<name>/metrics answering
# 200, and from `docker rm -f` returning to 404; median and max. Polls every 20 ms.
# Usage: bash bench/freshness.sh [COUNT] [INTERVAL]. Needs root; cleans up on exit.
source "$(dirname "$0")/lib.sh"
count="${1:-20}"
interval="${2:-10}"
trap bench_cleanup EXIT
need curl curl
engine_start
body_file 102400 "$BENCH_DIR/body"
image_import "$BENCH_DIR/body"
proxy_start SCRAPE_INTERVAL="$interval"
now() { date +%s%N; }
# wait_status NAME CODE: milliseconds until /<name>/metrics answers CODE (gives up after 3 intervals)
wait_status() {
  local start; start=$(now)
  local deadline=$((start + interval * 3 * 1000000000))
  while true; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PROXY_PORT/$1/metrics")
    t=$(now)
    [ "$code" = "$2" ] && { echo $(((t - start) / 1000000)); return; }
    [ "$t" -lt "$deadline" ] || { echo timeout; return; }
    sleep 0.02
  done
}
served=(); dropped=()
for i in $(seq 1 "$count"); do
  $D run -d --name "fresh-$i" --label amp-bench=1 "$IMAGE" httpd -f -p 8080 -h /www >/dev/null
  served+=("$(wait_status "fresh-$i" 200)")
  sleep 0.$((RANDOM % 10)) # not in step with anything
  $D rm -f "fresh-$i" >/dev/null
  dropped+=("$(wait_status "fresh-$i" 404)")
done
stats() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.0f ms | %d ms", m, v[NR] }'; }
echo
echo "started -> served: ${served[*]}"
echo "removed -> 404:    ${dropped[*]}"
echo
echo "| SCRAPE_INTERVAL=$interval, $count containers | median | max |"
echo "|---|---|---|"
echo "| container running -> its metrics served | $(stats "${served[@]}") |"
echo "| container removed -> 404 | $(stats "${dropped[@]}") |"
