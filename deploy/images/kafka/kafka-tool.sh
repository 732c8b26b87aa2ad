#!/bin/bash
# kafka-tool quorum|topics|groups|reassign|storage ARGS...: Kafka's admin tools inside a node,
# logging warnings only (to stderr). For example, from the host:
#   docker compose -f deploy/cluster/compose.yml exec kafka-1 kafka-tool quorum --bootstrap-controller kafka-1:9093 describe --status
#   docker compose -f deploy/cluster/compose.yml exec kafka-1 kafka-tool topics --bootstrap-server kafka-1:9092 --describe --under-replicated-partitions
set -euo pipefail
case "${1:-}" in
  quorum) tool=org.apache.kafka.tools.MetadataQuorumCommand ;;
  topics) tool=org.apache.kafka.tools.TopicCommand ;;
  groups) tool=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
  reassign) tool=org.apache.kafka.tools.reassign.ReassignPartitionsCommand ;;
  storage) tool=kafka.tools.StorageTool ;;
  *) echo "usage: kafka-tool quorum|topics|groups|reassign|storage ARGS... (each tool's own --help)" >&2; exit 2 ;;
esac
shift
# A tool run is a short-lived JVM, mostly start-up and class loading: C1 only, the serial
# collector, no perf data file, and the class-data archive of the tools' classes that the image
# build made (KAFKA_TOOL_ARCHIVE=dump makes it; docs/cluster.md). Measured in a loaded cluster:
# 2.9 s of CPU per `quorum describe` against 6.0 s with the JVM's defaults.
archive=/opt/kafka/tools.jsa
cds=()
if [ "${KAFKA_TOOL_ARCHIVE:-}" = dump ]; then
  cds=(-XX:ArchiveClassesAtExit=$archive)
elif [ -f $archive ]; then
  cds=(-XX:SharedArchiveFile=$archive -Xlog:cds=off -Xlog:cds+dynamic=off)
fi
exec java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto "${cds[@]}" \
  -cp '/opt/kafka/libs/*' -Dlog4j2.configurationFile=/opt/kafka/tools-log4j2.properties "$tool" "$@"
