#!/bin/bash
# A Redis Cluster node (deploy/cluster/compose.yml): redis.conf from `configure` plus cluster
# mode, announcing its service name. REDIS_SEEDS lists every node (host:port,...).
#   cluster-node.sh            run this node; a node whose volume is new while the cluster runs
#                              (a replaced disk) joins it as the replica of a master that has none,
#                              and the lost node's entry is forgotten
#   cluster-node.sh create     once every node answers: make the cluster (3 masters, 3 replicas)
#                              unless it exists; then exit
set -euo pipefail
conf=/etc/tollbooth/redis/redis.conf
pass=$(sed -n 's/^requirepass //p' "$conf")
IFS=, read -r -a seeds <<<"${REDIS_SEEDS:?REDIS_SEEDS must list the nodes of the cluster}"
cli() { REDISCLI_AUTH="$pass" redis-cli "$@"; }
ip() { getent hosts "${1%%:*}" | awk '{print $1; exit}'; }
others() { for s in "${seeds[@]}"; do [ "${s%%:*}" != "${REDIS_NAME:-}" ] && echo "$s"; done; return 0; }
# Another node that belongs to a cluster of several nodes (the cluster exists), if any.
member_seed() {
  for s in $(others); do
    known=$(cli -h "${s%%:*}" -p "${s##*:}" cluster info 2>/dev/null | sed -n 's/^cluster_known_nodes:\([0-9]*\).*/\1/p')
    if [ "${known:-0}" -gt 1 ]; then echo "$s"; return 0; fi
  done
  return 1
}
# Another node that says the cluster is whole (all slots served), if any.
healthy_seed() {
  for s in $(others); do
    if cli -h "${s%%:*}" -p "${s##*:}" cluster info 2>/dev/null | grep -q '^cluster_state:ok'; then echo "$s"; return 0; fi
  done
  return 1
}

if [ "${1:-}" = create ]; then
  for s in "${seeds[@]}"; do
    until cli -h "${s%%:*}" -p "${s##*:}" ping 2>/dev/null | grep -q PONG; do sleep 1; done
  done
  if member_seed >/dev/null; then
    echo "redis cluster: already made"; exit 0
  fi
  addresses=()
  for s in "${seeds[@]}"; do addresses+=("$(ip "$s"):${s##*:}"); done
  cli --cluster create "${addresses[@]}" --cluster-replicas 1 --cluster-yes
  until cli -h "${seeds[0]%%:*}" -p "${seeds[0]##*:}" cluster info | grep -q '^cluster_state:ok'; do sleep 1; done
  echo "redis cluster: made"; exit 0
fi

args=("$conf" --cluster-enabled yes --cluster-config-file /var/lib/redis/nodes.conf
  --cluster-node-timeout "${REDIS_NODE_TIMEOUT_MS:-3000}" --masterauth "$pass"
  --cluster-announce-hostname "${REDIS_NAME:?REDIS_NAME must name this node}"
  --cluster-preferred-endpoint-type hostname)
if [ -f /var/lib/redis/nodes.conf ] || ! member_seed >/dev/null; then exec redis-server "${args[@]}"; fi
# A lost master's replica takes over within the node timeout: wait for the cluster to be whole.
for _ in $(seq 1 120); do seed=$(healthy_seed) && break; sleep 1; done
: "${seed:?the cluster did not become whole within 120 s: start this node again}"

echo "$REDIS_NAME: the cluster runs without this node's data: joining it as a replica"
redis-server "${args[@]}" &
server=$!
trap 'kill -TERM $server' TERM INT
until cli ping 2>/dev/null | grep -q PONG; do sleep 0.5; done
# Forget the entries of nodes the cluster marks failed (the lost node had another id).
for id in $(cli -h "${seed%%:*}" -p "${seed##*:}" cluster nodes | awk '$3 ~ /fail/ && $3 !~ /fail\?/ {print $1}'); do
  for s in "${seeds[@]}"; do cli -h "${s%%:*}" -p "${s##*:}" cluster forget "$id" >/dev/null 2>&1 || true; done
done
# The master without a replica (the lost node's replica, promoted in its place).
lonely=$(cli -h "${seed%%:*}" -p "${seed##*:}" cluster nodes | awk '
  $3 ~ /master/ && $3 !~ /fail/ {m[$1]=1} $3 ~ /slave/ && $3 !~ /fail/ {r[$4]=1}
  END {for (id in m) if (!(id in r)) {print id; exit}}')
cli --cluster add-node "$(ip "$REDIS_NAME"):6379" "$(ip "$seed"):${seed##*:}" --cluster-slave ${lonely:+--cluster-master-id "$lonely"}
wait $server
