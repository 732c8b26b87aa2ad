#!/bin/bash
# jobmanager | taskmanager | sql-gateway [-Dkey=value...]: one Flink process in the foreground.
# health: whether this container's process answers (the image's health check).
set -euo pipefail
role=${1:-jobmanager}
shift || true
answers() { exec 3<>"/dev/tcp/127.0.0.1/$1"; }
case "$role" in
  health)
    # The JobManager's REST port, the gateway's, or a TaskManager's running JVM.
    if [ -f /tmp/flink-role ] && [ "$(cat /tmp/flink-role)" = taskmanager ]; then
      grep -qs TaskManagerRunner /proc/[0-9]*/cmdline
    elif [ -f /tmp/flink-role ] && [ "$(cat /tmp/flink-role)" = sql-gateway ]; then
      answers 8083
    else
      answers 8081
    fi
    exit ;;
  jobmanager) script=(bin/jobmanager.sh start-foreground) ;;
  taskmanager) script=(bin/taskmanager.sh start-foreground) ;;
  sql-gateway) script=(bin/sql-gateway.sh start-foreground) ;;
  *) echo "usage: entrypoint.sh jobmanager|taskmanager|sql-gateway [-Dkey=value...]" >&2; exit 2 ;;
esac
echo "$role" > /tmp/flink-role
mkdir -p /var/lib/flink/tmp
cp /etc/tollbooth/flink/config.yaml /opt/flink/conf/config.yaml
cd /opt/flink
exec "${script[@]}" "$@"
