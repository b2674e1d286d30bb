# JVM options of app-metrics-proxy, read by catalina.sh (the Dockerfile puts this file in
# $CATALINA_HOME/bin). Sized for up to about 1,000 targets of 100 KB each within 512 MB of RSS
# (docs/performance.md, "Memory"). Options of the operator's own JAVA_OPTS or CATALINA_OPTS come
# later on the java command line and win: e.g. JAVA_OPTS=-Xmx512m for several thousand targets.
#
# - Serial collector: one or two cores, a small heap, no collector threads or remembered sets.
# - Heap capped: the JVM would otherwise size it from the host's memory and keep what it grew to.
# - Out of memory: exit, so that Docker or Swarm starts a fresh container.
# - Two malloc arenas: the scrape threads (gzip, TLS) otherwise each get one that is never returned.
JAVA_OPTS="-XX:+UseSerialGC -Xms64m -Xmx256m -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:-}"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
