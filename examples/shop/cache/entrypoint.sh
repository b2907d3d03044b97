#!/bin/bash
# The cache service's entrypoint: as root, make /data the redis user's and run again as redis.
set -Eeuo pipefail
if [[ $1 == redis-server && $(id -u) == 0 ]]; then
  find /data \! -user redis -exec chown redis:redis '{}' +
  exec setpriv --reuid=redis --regid=redis --init-groups "$BASH_SOURCE" "$@"
fi
exec "$@"
