#!/usr/bin/env bash
# Churn soak: STABLE containers (busybox httpd) beside CHURN others that are run, removed,
# restarted, paused and unpaused at RATE operations a second for SECONDS, the proxy in Tomcat 10.1
# with the image's JVM options (setenv.sh), SCRAPE_INTERVAL=2, MAX_AGE=6. Meanwhile every stable
# name is fetched round robin: each answer must be 200 with a Last-Modified within MAX_AGE (+1 s:
# it has whole seconds). Afterwards the names served must be exactly the running containers, and
# Tomcat's threads, open files and RSS are compared with those before the churn.
#   bench/churn.sh [SECONDS, default 180] [RATE, default 4] [STABLE, default 30] [CHURN, default 10]
# Needs root; cleans up on exit. Exits 1 if a check failed.
source "$(dirname "$0")/lib.sh"
seconds="${1:-180}"
rate="${2:-4}"
stable="${3:-30}"
churn="${4:-10}"
max_age=6
trap bench_cleanup EXIT
need curl curl
engine_start
body_file 2048 "$BENCH_DIR/body"
image_import "$BENCH_DIR/body"
seq 1 "$stable" | xargs -P 8 -I{} $D run -d --name stable-{} --label amp-bench=1 "$IMAGE" \
  httpd -f -p 8080 -h /www >/dev/null
proxy_start SCRAPE_INTERVAL=2 MAX_AGE="$max_age"
api() { curl -sf "http://127.0.0.1:$PROXY_PORT$1"; }
for _ in $(seq 60); do
  api /api/targets | grep -q "\"up\":$stable," && break
  sleep 0.5
done
pid=$(cat "$BENCH_DIR/tomcat.pid")
proc() { # threads, open files, RSS in KB of Tomcat's JVM
  echo "threads $(ls /proc/"$pid"/task | wc -l), files $(ls /proc/"$pid"/fd | wc -l)," \
    "RSS $(awk '/VmRSS/ { print $2 }' /proc/"$pid"/status) KB"
}
sleep 10 # the JVM warms up first
before=$(proc)

ops="$BENCH_DIR/ops"
: >"$ops"
end=$(($(date +%s) + seconds))
(
  pause=$(awk -v r="$rate" 'BEGIN { printf "%.3f", 1 / r }')
  while [ "$(date +%s)" -lt "$end" ]; do
    c="churn-$((RANDOM % churn + 1))"
    case $((RANDOM % 5)) in
      0) op="run -d --name $c --label amp-bench=1 $IMAGE httpd -f -p 8080 -h /www" ;;
      1) op="rm -f $c" ;;
      2) op="restart -t 0 $c" ;;
      3) op="pause $c" ;;
      4) op="unpause $c" ;;
    esac
    (timeout 30 $D $op >/dev/null 2>&1 && echo "ok ${op%% *}" >>"$ops" || echo "refused ${op%% *}" >>"$ops") &
    sleep "$pause"
  done
  wait
) &
churner=$!

polls=0 bad=0 oldest=0
while [ "$(date +%s)" -lt "$end" ]; do
  for i in $(seq 1 "$stable"); do
    out=$(curl -s -o /dev/null -D - -w 'code %{http_code}\n' "http://127.0.0.1:$PROXY_PORT/stable-$i/metrics" || true)
    now=$(date +%s)
    code=$(awk '$1 == "code" { print $2 }' <<<"$out")
    modified=$(awk -F': ' 'tolower($1) == "last-modified" { sub(/\r$/, "", $2); print $2 }' <<<"$out")
    polls=$((polls + 1))
    age=-1
    [ -z "$modified" ] || age=$((now - $(date -d "$modified" +%s 2>/dev/null || echo "$now")))
    [ "$age" -le "$oldest" ] || oldest=$age
    if [ "$code" != 200 ] || [ "$age" -lt 0 ] || [ "$age" -gt $((max_age + 1)) ]; then
      bad=$((bad + 1))
      echo "stable-$i: $code, Last-Modified $modified ($age s old)"
    fi
  done
done
wait "$churner"
done_ops=$(grep -c '^ok' "$ops" || true)
refused=$(grep -c '^refused' "$ops" || true)
sleep 6 # two intervals: the last operations reconciled

running=$($D ps --filter status=running --format '{{.Names}}' | sort)
served=$(api /api/sd | grep -o '"name":"[^"]*"' | cut -d'"' -f4 | sort)
engine_up=$(metric app_metrics_proxy_engine_up)
sleep 10
after=$(proc)
echo
echo "| figure | measured |"
echo "|---|---|"
echo "| churn | $done_ops operations done in $seconds s ($(grep -c '^ok run' "$ops" || true) run, $(grep -c '^ok rm' "$ops" || true) rm, $(grep -c '^ok restart' "$ops" || true) restart, $(grep -c '^ok pause' "$ops" || true) pause, $(grep -c '^ok unpause' "$ops" || true) unpause; $refused refused by the engine, e.g. pausing a paused one) over $churn names, beside $stable stable ones |"
echo "| stable names polled | $polls answers, $bad not 200 or older than MAX_AGE; oldest Last-Modified $oldest s |"
echo "| final state | $(wc -w <<<"$running") containers running, $(wc -w <<<"$served") names served; engine_up $engine_up |"
echo "| Tomcat before / after | $before / $after |"
status=0
if [ "$running" != "$served" ]; then
  echo "served names differ from the running containers:"
  diff <(echo "$running") <(echo "$served") || true
  status=1
fi
[ "$bad" -eq 0 ] || status=1
exit $status
