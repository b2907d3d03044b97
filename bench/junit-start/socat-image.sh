#!/usr/bin/env bash
# Builds, into dockerd, the image Testcontainers runs as its "ambassador" for exposed compose
# services (alpine/socat:1.7.4.3-r0, which it would pull from Docker Hub): the examples' busybox
# image plus Debian's socat and the shared libraries it links, so the ambassador runs the real
# socat. Usage: bench/junit-start/socat-image.sh   (does nothing when the image is there)
set -euo pipefail
image=alpine/socat:1.7.4.3-r0
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
docker image inspect "$image" >/dev/null 2>&1 && exit 0
if ! command -v socat >/dev/null; then
  [[ $(id -u) -eq 0 ]] || { echo "socat-image: needs Debian's socat: sudo apt-get install -y socat" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq socat >/dev/null
fi
docker image inspect jstack-examples/busybox:latest >/dev/null 2>&1 || "$repo/examples/build-image.sh" docker
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root/bin"
cp "$(command -v socat)" "$work/root/bin/socat"
for lib in $(ldd "$(command -v socat)" | awk '/=>/ {print $3} /^\t\/lib/ {print $1}'); do
  mkdir -p "$work/root$(dirname "$lib")"
  cp -L "$lib" "$work/root$lib"
done
printf 'FROM jstack-examples/busybox:latest\nCOPY root/ /\n' >"$work/Dockerfile"
DOCKER_BUILDKIT=0 /usr/bin/docker build -q -t "$image" "$work" >/dev/null
echo "socat-image: built $image from Debian's socat" >&2
