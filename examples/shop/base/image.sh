#!/usr/bin/env bash
# Builds examples/shop's base image, jstack-examples/shop-base:latest, on an engine: from the root
# filesystem that rootfs.sh makes (cached), unless the engine already has it for the same package
# list (its io.jstack.examples.shop-base label). Usage: examples/shop/base/image.sh [embedded|docker]
# (default embedded: jstack's own engine, through ./jstack; docker: dockerd, through docker build).
set -euo pipefail
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
  exit 0
fi

image=jstack-examples/shop-base:latest
engine=${1:-embedded}
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
repo=$(cd "$here/../../.." && pwd)

case $engine in
  embedded) have() { "$repo/jstack" --engine embedded image inspect "$image" 2>/dev/null; } ;;
  docker) have() { docker image inspect "$image" 2>/dev/null; } ;;
  *)
    echo "shop-base: unknown engine $engine (use embedded or docker)" >&2
    exit 2
    ;;
esac

dir=$("$here/rootfs.sh")
key=${dir##*/shop-base-}
if have | grep -q "\"io.jstack.examples.shop-base\" *: *\"$key\""; then
  echo "$image is up to date on $engine" >&2
  exit 0
fi
echo "shop-base: building $image on $engine" >&2
case $engine in
  embedded) "$repo/jstack" --engine embedded image build -q -t "$image" "$dir" >/dev/null ;;
  docker) DOCKER_BUILDKIT=0 docker build -q -t "$image" "$dir" >/dev/null ;;
esac
echo "built $image on $engine" >&2
