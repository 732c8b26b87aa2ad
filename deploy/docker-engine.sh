#!/usr/bin/env bash
# Usage: deploy/docker-engine.sh up|down
#   up    install Debian's Docker engine and docker-compose (v1) where missing, start dockerd
#         (pid and log under .stack/docker/), wait until it answers
#   down  stop the dockerd this script started (by its pid file), nothing else
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.stack/docker
pidfile=$dir/dockerd.pid

case "${1:-}" in
  up)
    if ! command -v dockerd >/dev/null || ! command -v docker-compose >/dev/null; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        docker.io docker-compose debootstrap >/dev/null
    fi
    mkdir -p "$dir"
    if docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
      echo "docker engine: already answering"
      exit 0
    fi
    dockerd >"$dir/dockerd.log" 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 1 60); do
      if docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
        echo "docker engine: up (pid $(cat "$pidfile"))"
        exit 0
      fi
      sleep 1
    done
    echo "docker-engine.sh: dockerd did not answer within 60 s; see $dir/dockerd.log" >&2
    exit 1 ;;
  down)
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      kill "$(cat "$pidfile")"
      for _ in $(seq 1 30); do kill -0 "$(cat "$pidfile")" 2>/dev/null || break; sleep 1; done
      echo "docker engine: stopped"
    fi
    rm -f "$pidfile" ;;
  -h|--help|help)
    sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//' ;;
  *)
    echo "docker-engine.sh: say up or down (--help for usage)" >&2
    exit 2 ;;
esac
