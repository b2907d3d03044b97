#!/usr/bin/env bash
# Benchmark: a large COPY, whole process against whole process: `jstack image build` (embedded
# engine, already running, as dockerd is), `DOCKER_BUILDKIT=1 /usr/bin/docker build` (dockerd
# 20.10's BuildKit) and Debian's `buildah bud --layers --runtime /usr/sbin/runc`, the same
# Dockerfile and context for each, alternating (the tool that goes first rotates), ROUNDS rounds
# (default 5), medians and ratios. The context holds SIZE_MB (default 640) MB of random data in
# 10 MB files and one small file that changes every round, so that each build copies it all again:
#   FROM jstack-examples/busybox:latest
#   ADD data/ /data/
# (a directory: ADD copies it as COPY does). What it measures is a COPY/ADD step's layer: the files
# copied, the layer written and put in the store. Every timed build must succeed and give a new
# image ID. No network beyond 127.0.0.1. Needs root, dockerd, Debian's docker client at
# /usr/bin/docker; installs buildah with apt-get when it is missing. Everything it made is removed
# at the end, also on failure, but for the BuildKit cache records of its docker builds, which
# dockerd's build-cache GC reclaims (dockerd is shared: see bench/build.sh).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
source "$root/bench/lib.sh"
rounds=${ROUNDS:-5}
size_mb=${SIZE_MB:-640}
command -v buildah >/dev/null || {
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q buildah >/dev/null
}
[[ -x /usr/bin/docker ]] || { echo "bench: Debian's docker client (/usr/bin/docker) is needed: apt-get install -y docker.io" >&2; exit 1; }
work=$(mktemp -d /tmp/jstack-bench-copy.XXXXXX)
tag=jstack-bench-copy-$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')
export JSTACK_DATA_ROOT=$work/data JSTACK_ENGINE_SOCKET=$work/engine.sock
bh=(buildah --root "$work/buildah/root" --runroot "$work/buildah/run" --storage-driver overlay)
docker=(env DOCKER_BUILDKIT=1 /usr/bin/docker)
cni_before=$(ip link show cni-podman0 >/dev/null 2>&1 && echo yes || echo no)
cleanup() {
  set +e
  /usr/bin/docker rmi -f "$tag:docker" >/dev/null 2>&1
  stop_engine
  [[ -d $work/buildah ]] && "${bh[@]}" rm -a >/dev/null 2>&1 && "${bh[@]}" rmi -af >/dev/null 2>&1
  # buildah makes CNI's bridge only for a RUN; this Dockerfile has none, but a failed run may.
  [[ $cni_before == yes ]] || ! ip link show cni-podman0 >/dev/null 2>&1 || ip link del cni-podman0
  remove "$work"
}
trap cleanup EXIT

"$root/examples/build-image.sh" docker >/dev/null
"$root/jstack" --version >/dev/null # build the launcher first; not timed
docker save -o "$work/busybox.tar" jstack-examples/busybox:latest
"$root/jstack" image load -i "$work/busybox.tar" >/dev/null # starts the engine; not timed
"${bh[@]}" pull -q "docker-archive:$work/busybox.tar" >/dev/null

ctx=$work/ctx
mkdir -p "$ctx/data"
for i in $(seq 1 $((size_mb / 10))); do head -c 10M /dev/urandom >"$ctx/data/blob$i.bin"; done
echo 0 >"$ctx/data/changing.txt"
printf 'FROM jstack-examples/busybox:latest\nADD data/ /data/\n' >"$ctx/Dockerfile"

# build TOOL: one timed build of the context as $tag:TOOL; its image ID in $work/TOOL.id.
build() {
  case $1 in
  jstack)
    timed ms_jstack "$root/jstack" image build -q -t "$tag:jstack" "$ctx"
    tail -n 1 "$work/timed.out" >"$work/jstack.id"
    ;;
  docker) timed ms_docker "${docker[@]}" build -q --iidfile "$work/docker.id" -t "$tag:docker" "$ctx" ;;
  buildah) timed ms_buildah "${bh[@]}" bud --layers --runtime /usr/sbin/runc --pull=never -q \
    --iidfile "$work/buildah.id" -t "$tag:buildah" "$ctx" ;;
  esac
  verify "$1 built no image ID" grep -q '^sha256:[0-9a-f]\{64\}$' "$work/$1.id"
  [[ ! -f $work/$1.prev ]] || verify "$1's build was cached" bash -c "! cmp -s '$work/$1.id' '$work/$1.prev'"
  cp "$work/$1.id" "$work/$1.prev"
}
# reclaim TOOL: what the last build left (the old image's layers), not timed.
reclaim() {
  case $1 in
  jstack) "$root/jstack" image prune --build-cache -a >/dev/null && "$root/jstack" image prune >/dev/null ;;
  buildah) "${bh[@]}" rmi --prune >/dev/null 2>&1 || true ;;
  docker) ;;
  esac
}

tools=(jstack docker buildah)
ms_jstack=() ms_docker=() ms_buildah=()
for r in $(seq 1 "$rounds"); do
  order=("${tools[@]:$(((r - 1) % 3))}" "${tools[@]:0:$(((r - 1) % 3))}")
  echo "$r" >"$ctx/data/changing.txt"
  sync
  for t in "${order[@]}"; do
    build "$t"
    reclaim "$t"
    sync
  done
done
mj=$(median "${ms_jstack[@]}") md=$(median "${ms_docker[@]}") mb=$(median "${ms_buildah[@]}")
echo "build-copy ($rounds rounds, whole process, medians; ratio > 1: jstack faster)"
printf 'ADD of %d MB: jstack %6d ms  docker build (BuildKit) %6d ms  buildah bud %6d ms  docker/jstack %s  buildah/jstack %s\n' \
  "$size_mb" "$mj" "$md" "$mb" "$(ratio "$md" "$mj")" "$(ratio "$mb" "$mj")"
echo "    jstack: ${ms_jstack[*]} | docker: ${ms_docker[*]} | buildah: ${ms_buildah[*]}"
