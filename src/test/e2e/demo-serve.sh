#!/bin/sh
# Entry point of the demo image: writes a Prometheus body naming this task, then serves it on 8080.
mkdir -p /www
case "$SLOT" in ''|*[!0-9]*) SLOT=0 ;; esac # a global service's {{.Task.Slot}} is the node id
cat > /www/metrics.tmp <<BODY
# HELP demo_task_info The task that serves this body, and its node.
# TYPE demo_task_info gauge
demo_task_info{task="${TASK:-unknown}",host="${NODE_HOSTNAME:-unknown}"} 1
# HELP demo_task_slot The task's slot in its service (0: a global service).
# TYPE demo_task_slot gauge
demo_task_slot $SLOT
BODY
mv /www/metrics.tmp /www/metrics
exec httpd -f -p 8080 -h /www
