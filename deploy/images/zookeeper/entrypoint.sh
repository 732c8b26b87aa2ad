#!/bin/bash
# One ZooKeeper node. ZOO_MY_ID: this node's number (1..n); ZOO_SERVERS: the ensemble's hosts in
# order of their numbers, comma-separated (zookeeper-1,zookeeper-2,zookeeper-3); unset: alone.
# ZOO_HEAP: the JVM heap (256m); ZOO_LOG_LEVEL: warn (info, debug).
set -euo pipefail
servers="${ZOO_SERVERS:-}"
id="${ZOO_MY_ID:-1}"
[[ "$id" =~ ^[1-9][0-9]*$ ]] || { echo "zookeeper: ZOO_MY_ID must be a number from 1, not '$id'" >&2; exit 2; }
data=/var/lib/zookeeper/data
mkdir -p "$data"
echo "$id" > "$data/myid"
conf=/tmp/zookeeper
mkdir -p "$conf"
{
  echo "tickTime=2000"
  echo "initLimit=10"
  echo "syncLimit=5"
  echo "dataDir=$data"
  echo "clientPort=2181"
  echo "quorumListenOnAllIPs=true"
  echo "admin.enableServer=false"
  echo "4lw.commands.whitelist=srvr,ruok,mntr"
  # Old snapshots and logs go: one hour, three kept.
  echo "autopurge.snapRetainCount=3"
  echo "autopurge.purgeInterval=1"
  i=1
  for host in ${servers//,/ }; do
    echo "server.$i=$host:2888:3888"
    i=$((i + 1))
  done
} > "$conf/zoo.cfg"
# Debian's zookeeper.jar names the jars it needs in its manifest; slf4j-simple logs to stderr.
classpath="$conf:/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar"
exec java "-Xms${ZOO_HEAP:-256m}" "-Xmx${ZOO_HEAP:-256m}" -cp "$classpath" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel="${ZOO_LOG_LEVEL:-warn}" \
  org.apache.zookeeper.server.quorum.QuorumPeerMain "$conf/zoo.cfg"
