#!/bin/bash
# healthz PORT [PATH]: the container's health check. With a PATH (the HTTP parts: /healthz), the
# answer must be 200; without one (the Postgres-wire endpoint), the port must take a connection.
# Bash's /dev/tcp, not `node -e fetch(...)`: a check runs every few seconds in every container,
# and a Node.js start costs a hundred times what this does.
set -euo pipefail
port=${1:?usage: healthz PORT [PATH]}
exec 3<>"/dev/tcp/127.0.0.1/$port"
[ -n "${2:-}" ] || exit 0
printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
read -r -t 2 _ status _ <&3
[ "$status" = 200 ]
