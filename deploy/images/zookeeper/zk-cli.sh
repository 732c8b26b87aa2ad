#!/bin/bash
# Debian's ZooKeeper shell against this node (or -server HOST:PORT): zk-cli ls /clickhouse
exec /usr/share/zookeeper/bin/zkCli.sh -server 127.0.0.1:2181 "$@"
