#!/bin/bash
# Runs the broker in the foreground, formatting the KRaft storage first on a fresh volume.
# Alone (no KAFKA_NODE_ID): one node, its own quorum. In a cluster (KAFKA_NODE_ID=N, and
# /etc/tollbooth/kafka/quorum.env from `configure`): on the cluster's first start every voter
# is formatted with the same initial controllers; a node whose volume is new once the quorum has
# formed (a replaced disk) joins as an observer with a new directory id, then takes its voter
# seat back: remove-controller of its old directory, add-controller of the new one.
set -euo pipefail
java=(java -Xms256m -Xmx${KAFKA_HEAP:-1g} -XX:+UseG1GC -Djava.awt.headless=true -cp '/opt/kafka/libs/*'
  -Dlog4j2.configurationFile=/opt/kafka/log4j2.properties)
# A tool's JVM may take a minute to start on a loaded machine (a cluster on a few cores): a
# bound that kills it sooner starves the very loop that waits on it, so 5 minutes.
quorum() { timeout 300 kafka-tool quorum --bootstrap-controller "$BOOTSTRAP_CONTROLLERS" "$@"; }
data=/var/lib/kafka

if [ -z "${KAFKA_NODE_ID:-}" ]; then
  conf=/etc/tollbooth/kafka/server.properties
  if [ ! -f $data/meta.properties ]; then
    # A cluster id that StorageTool's parser cannot take for an option (no leading "-").
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' 'xy' | tr -d '=' | cut -c1-22)
    kafka-tool storage format --standalone -t "$id" -c "$conf"
  fi
  exec "${java[@]}" kafka.Kafka "$conf"
fi

conf=/etc/tollbooth/kafka/server-$KAFKA_NODE_ID.properties
# shellcheck source=/dev/null
. /etc/tollbooth/kafka/quorum.env
# Whether the quorum was ever formed: a file each node writes once it has seen a leader, on a
# volume the Kafka nodes share (deploy/cluster/compose.yml); on machines of their own,
# KAFKA_REJOIN=1 on the replacement says the same. Asking the quorum instead is a guess on a
# loaded machine: an admin client given a tenth of a core times out like a quorum that is not
# there, and the new disk would be formatted as a founding voter with the lost one's identity.
formed=/var/lib/kafka-quorum/formed
rejoin=
if [ ! -f $data/meta.properties ]; then
  if [ "${KAFKA_REJOIN:-}" = 1 ] || [ -f $formed ]; then
    echo "kafka-$KAFKA_NODE_ID: the quorum was formed without this node's storage: joining it again"
    kafka-tool storage format -t "$CLUSTER_ID" --no-initial-controllers -c "$conf"
    rejoin=1
  else
    kafka-tool storage format -t "$CLUSTER_ID" --initial-controllers "$INITIAL_CONTROLLERS" -c "$conf"
  fi
fi

"${java[@]}" kafka.Kafka "$conf" &
broker=$!
trap 'kill -TERM $broker 2>/dev/null; wait $broker; exit $?' TERM INT
# Each quorum call below is a JVM taking CPU from the broker's start: none until the broker
# listens (add-controller is refused until this node has caught up with the metadata log anyway),
# then one every 5 s or so.
for _ in $(seq 1 300); do
  if (exec 3<>/dev/tcp/127.0.0.1/9092) 2>/dev/null || ! kill -0 $broker 2>/dev/null; then break; fi
  sleep 1
done
if [ -z "$rejoin" ]; then
  if [ -d "${formed%/*}" ] && [ ! -f $formed ]; then
    for _ in $(seq 1 60); do
      kill -0 $broker 2>/dev/null || break
      if quorum describe --status 2>/dev/null | grep -q '^LeaderId:'; then
        touch $formed
        break
      fi
      sleep 5
    done
  fi
  wait $broker
  exit $?
fi

mine=$(sed -n 's/^directory.id=//p' $data/meta.properties)
for _ in $(seq 1 120); do
  status=$(quorum describe --status 2>/dev/null || true)
  voters=$(grep '^CurrentVoters:' <<<"$status" || true)
  old=$(grep -o "{\"id\": *$KAFKA_NODE_ID, *\"directoryId\": *\"[^\"]*\"" <<<"$voters" | sed 's/.*"directoryId": *"//; s/"$//' || true)
  if [ "$old" = "$mine" ]; then echo "kafka-$KAFKA_NODE_ID: a voter again ($mine)"; break; fi
  if [ -n "$old" ]; then
    quorum remove-controller --controller-id "$KAFKA_NODE_ID" --controller-directory-id "$old" || true
  elif grep -q '^LeaderId:' <<<"$status"; then
    # Refused until this node has caught up with the metadata log: the loop tries again.
    quorum --command-config "$conf" add-controller || true
  fi
  sleep 5
done
wait $broker
