#!/bin/bash
# kafka-tool quorum|topics|groups|reassign ARGS...: Kafka's admin tools inside a node, logging warnings
# only (to stderr). For example, from the host:
#   docker compose -f deploy/cluster/compose.yml exec kafka-1 kafka-tool quorum --bootstrap-controller kafka-1:9093 describe --status
#   docker compose -f deploy/cluster/compose.yml exec kafka-1 kafka-tool topics --bootstrap-server kafka-1:9092 --describe --under-replicated-partitions
set -euo pipefail
case "${1:-}" in
  quorum) tool=org.apache.kafka.tools.MetadataQuorumCommand ;;
  topics) tool=org.apache.kafka.tools.TopicCommand ;;
  groups) tool=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
  reassign) tool=org.apache.kafka.tools.reassign.ReassignPartitionsCommand ;;
  *) echo "usage: kafka-tool quorum|topics|groups|reassign ARGS... (each tool's own --help)" >&2; exit 2 ;;
esac
shift
exec java -Xmx256m -cp '/opt/kafka/libs/*' -Dlog4j2.configurationFile=/opt/kafka/tools-log4j2.properties "$tool" "$@"
