#!/bin/bash
# Formats the KRaft storage on the first start (a fresh volume), then runs the broker in the foreground.
set -euo pipefail
conf=/etc/tollbooth/kafka/server.properties
java=(java -Xms256m -Xmx1g -XX:+UseG1GC -Djava.awt.headless=true -cp '/opt/kafka/libs/*'
  -Dlog4j2.configurationFile=/opt/kafka/log4j2.properties)
if [ ! -f /var/lib/kafka/meta.properties ]; then
  # A cluster id that StorageTool's parser cannot take for an option (no leading "-").
  id=$(head -c 16 /dev/urandom | base64 | tr '+/' 'xy' | tr -d '=' | cut -c1-22)
  "${java[@]}" kafka.tools.StorageTool format --standalone -t "$id" -c "$conf"
fi
exec "${java[@]}" kafka.Kafka "$conf"
