#!/usr/bin/env bash
# Benchmark 5: memory of the Tomcat process running the proxy at N targets that each serve 100 KB
# (every name fetched once with gzip, as Prometheus would), after 3 cycles: RSS, and the heap in
# use after a full GC (jcmd). JVM options as Tomcat's defaults unless PROXY_JAVA_OPTS says otherwise.
# Usage: bash bench/memory.sh [COUNTS...]   (default: 300 1000). Needs root; cleans up on exit.
# With -XX:NativeMemoryTracking=summary in PROXY_JAVA_OPTS it prints the JVM's own accounting too.
# MEMORY_HISTOGRAM=N also prints the N classes with the most live heap (jcmd GC.class_histogram).
source "$(dirname "$0")/lib.sh"
counts=("$@")
[ $# -gt 0 ] || counts=(300 1000)
trap bench_cleanup EXIT
need curl curl
engine_start
body_file 102400 "$BENCH_DIR/body"
image_import "$BENCH_DIR/body"
proxy_start SCRAPE_INTERVAL=10
pid=$(cat "$BENCH_DIR/tomcat.pid")
rows=()
have=0
for n in "${counts[@]}"; do
  seq $((have + 1)) "$n" | xargs -P 8 -I{} $D run -d --name "m-{}" --label amp-bench=1 "$IMAGE" httpd -f -p 8080 -h /www >/dev/null
  have=$n
  for _ in $(seq 120); do
    s=$(metric app_metrics_proxy_served_names); [ "${s%.*}" -ge "$n" ] 2>/dev/null && break; sleep 1
  done
  c=$(metric app_metrics_proxy_cycles_total); c=${c%.*}
  while [ "$(v=$(metric app_metrics_proxy_cycles_total); echo ${v%.*})" -lt $((c + 3)) ]; do sleep 1; done
  seq 1 "$n" | xargs -P 8 -I{} curl -sf -o /dev/null -H 'Accept-Encoding: gzip' "http://127.0.0.1:$PROXY_PORT/m-{}/metrics"
  cycle=$(metric app_metrics_proxy_cycle_duration_seconds)
  rss=$(($(ps -o rss= -p "$pid") / 1024))
  jcmd "$pid" GC.run >/dev/null
  # G1 prints the whole heap on one line; the serial and parallel collectors one line per generation
  heap=$(jcmd "$pid" GC.heap_info | awk '/garbage-first heap|generation|PSYoungGen|ParOldGen/ && / used / {
    for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); sub("K,?", "", v); kb += v } } END { print int(kb / 1024) }')
  rss_after=$(($(ps -o rss= -p "$pid") / 1024))
  if [ "${MEMORY_HISTOGRAM:-0}" -gt 0 ]; then # the classes that hold the most of the live heap
    jcmd "$pid" GC.class_histogram | head -$((MEMORY_HISTOGRAM + 3)) >&2
  fi
  if [[ "${PROXY_JAVA_OPTS:-}" == *NativeMemoryTracking* ]]; then # where the rest of RSS goes
    jcmd "$pid" VM.native_memory summary | grep -E '^(Total|-)' >&2
  fi
  rows+=("| $n | $(metric app_metrics_proxy_served_names | cut -d. -f1) | ${rss} MB | ${rss_after} MB | ${heap} MB | ${cycle} s |")
  echo "${rows[-1]}"
done
echo
echo "| targets (100 KB each) | names served | RSS | RSS after a full GC | heap used after a full GC | cycle |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
