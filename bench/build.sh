#!/usr/bin/env bash
# Benchmark: Dockerfile builds, whole process against whole process, the same Dockerfiles and
# contexts for each tool: `jstack image build` (embedded engine, already running, as dockerd is),
# `DOCKER_BUILDKIT=1 /usr/bin/docker build` (dockerd 20.10's BuildKit) and Debian's
# `buildah bud --layers --runtime /usr/sbin/runc`; alternating (the tool that goes first rotates),
# ROUNDS rounds (default 5); medians and ratios for:
#  (a) cold: a 3-stage Dockerfile (RUNs and COPYs, FROM the local busybox image), every tool's
#      build cache out of the way and the base image present. How: jstack's image removed, its
#      build cache reclaimed and the store's unused blobs and layers collected (`jstack image rm`,
#      `jstack image prune --build-cache -a`, `jstack image prune`); buildah (a storage of its own): the
#      image removed and its dangling layer images pruned (`buildah rmi --prune`); dockerd is
#      shared with other users, whose BuildKit cache records cannot be told from this run's
#      ("local source for context", "fileop target"), and BuildKit 0.8 prunes by one ID filter at
#      a time: so its image is removed and the build runs with `--no-cache` (no cache lookup, every
#      step solved);
#  (b) no-op: the same build again, nothing changed;
#  (c) one file changed in the last COPY;
#  (d) a 200 MB context of which .dockerignore excludes all but a few small files, one of them
#      changed (the context is read, filtered and the COPY of it runs again);
# and, in the same rounds, a whole-process `jstack ps` (target: (b) at most 0.1 s above it).
# A fourth column, "engine", is the same builds sent by curl straight to a second jstack engine
# (its own data root, so its own cache) with the context named in place (`jstack-context`): what a
# build costs without the JVM start of the jstack client, the floor a resident client (the Java
# API, an IDE) would see.
# Targets: jstack faster than both peers in every scenario. Every timed build must succeed and is
# checked by its effect (a new image, the same one for (b)). No network beyond 127.0.0.1: buildah
# reads busybox from a docker-archive into its own storage, `--pull=never`. Needs root, dockerd,
# Debian's docker client at /usr/bin/docker; installs buildah with apt-get when it is missing.
# Everything it made is removed at the end, also on failure, but for the BuildKit cache records
# of its docker builds (see (a)), which dockerd's build-cache GC reclaims.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
source "$root/bench/lib.sh"
rounds=${ROUNDS:-5}
command -v buildah >/dev/null || {
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q buildah >/dev/null
}
[[ -x /usr/bin/docker ]] || { echo "bench: Debian's docker client (/usr/bin/docker) is needed: apt-get install -y docker.io" >&2; exit 1; }
work=$(mktemp -d /tmp/jstack-bench-build.XXXXXX)
tag=jstack-bench-build-$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')
export JSTACK_DATA_ROOT=$work/data JSTACK_ENGINE_SOCKET=$work/engine.sock
bh=(buildah --root "$work/buildah/root" --runroot "$work/buildah/run" --storage-driver overlay)
docker=(env DOCKER_BUILDKIT=1 /usr/bin/docker)

# buildah's RUN networking (CNI) makes the cni-podman0 bridge and CNI's firewall chains; a run that
# found none removes them.
cni_before=$(ip link show cni-podman0 >/dev/null 2>&1 && echo yes || echo no)
remove_cni() {
  ip link del cni-podman0
  iptables -D FORWARD -m comment --comment "CNI firewall plugin rules" -j CNI-FORWARD
  iptables -F CNI-FORWARD && iptables -X CNI-FORWARD
  iptables -F CNI-ADMIN && iptables -X CNI-ADMIN
  rm -rf /var/lib/cni/networks/podman
}
# as_api CMD...: CMD against the second engine (the "engine" column).
as_api() { JSTACK_DATA_ROOT=$work/api/data JSTACK_ENGINE_SOCKET=$work/api/engine.sock "$@"; }
cleanup() {
  set +e
  for t in cold big; do /usr/bin/docker rmi -f "$tag-$t:docker" >/dev/null 2>&1; done
  stop_engine
  [[ -S $work/api/engine.sock ]] && as_api stop_engine
  [[ -d $work/buildah ]] && "${bh[@]}" rm -a >/dev/null 2>&1 && "${bh[@]}" rmi -af >/dev/null 2>&1
  [[ $cni_before == yes ]] || remove_cni >/dev/null 2>&1
  remove "$work"
}
trap cleanup EXIT

"$root/examples/build-image.sh" docker >/dev/null
"$root/jstack" --version >/dev/null # build the launcher first; not timed
docker save -o "$work/busybox.tar" jstack-examples/busybox:latest
"$root/jstack" image load -i "$work/busybox.tar" >/dev/null
"${bh[@]}" pull -q "docker-archive:$work/busybox.tar" >/dev/null
mkdir -p "$work/proj"
printf 'services:\n  idle:\n    image: jstack-examples/busybox:latest\n' >"$work/proj/compose.yaml"
"$root/jstack" --engine embedded -f "$work/proj/compose.yaml" ps >/dev/null # starts the engine; not timed
mkdir -p "$work/api"
as_api "$root/jstack" image load -i "$work/busybox.tar" >/dev/null
as_api "$root/jstack" --engine embedded -f "$work/proj/compose.yaml" ps >/dev/null
say_runtime

# (a)-(c): three stages, the last copying from both others, then the application files.
cold=$work/cold
mkdir -p "$cold/deps" "$cold/src" "$cold/app"
for i in $(seq 1 20); do head -c 4096 /dev/urandom | base64 >"$cold/deps/dep$i.txt"; done
for i in $(seq 1 100); do printf 'int f%d(void) { return %d; }\n' "$i" "$i" >"$cold/src/f$i.c"; done
for i in $(seq 1 10); do head -c 2048 /dev/urandom | base64 >"$cold/app/static$i.txt"; done
echo 0 >"$cold/app/changing.txt"
cat >"$cold/Dockerfile" <<'EOF'
FROM jstack-examples/busybox:latest AS deps
WORKDIR /deps
COPY deps/ ./
RUN cat *.txt | sha256sum > /deps.sum && mkdir -p /out && cp /deps.sum /out/
FROM jstack-examples/busybox:latest AS build
WORKDIR /src
COPY src/ ./
RUN for f in *.c; do sha256sum "$f" >> /build.sum; done && wc -l /build.sum
FROM jstack-examples/busybox:latest
RUN mkdir -p /app && echo app > /app/name
COPY --from=deps /out/deps.sum /app/
COPY --from=build /build.sum /app/
COPY app/ /app/
CMD ["cat", "/app/name"]
EOF
# (d): 200 MB in ignored directories, a few small kept files.
big=$work/big
mkdir -p "$big/data" "$big/cache" "$big/kept"
for i in $(seq 1 10); do head -c 10M /dev/urandom >"$big/data/blob$i.bin"; done
for i in $(seq 1 1000); do head -c 100K /dev/urandom >"$big/cache/c$i.bin"; done
for i in $(seq 1 5); do echo "kept $i" >"$big/kept/k$i.txt"; done
echo 0 >"$big/kept/changing.txt"
printf 'data\ncache\n*.log\n' >"$big/.dockerignore"
printf 'FROM jstack-examples/busybox:latest\nCOPY . /ctx\nRUN ls -R /ctx | wc -l\n' >"$big/Dockerfile"

# build TOOL NAME DIR: one timed build of DIR as $tag-NAME:TOOL, into the array TOOL_NAME; the
# image's ID then in $work/TOOL-NAME.id.
build() {
  local tool=$1 name=$2 dir=$3 image="$tag-$2:$1"
  case $tool in
  jstack)
    timed "jstack_$name" "$root/jstack" image build -q -t "$image" "$dir"
    tail -n 1 "$work/timed.out" >"$work/$tool-$name.id"
    ;;
  docker)
    local fresh=()
    [[ $name != cold ]] || fresh=(--no-cache)
    timed "docker_$name" "${docker[@]}" build -q "${fresh[@]}" --iidfile "$work/$tool-$name.id" -t "$image" "$dir"
    ;;
  buildah) timed "buildah_$name" "${bh[@]}" bud --layers --runtime /usr/sbin/runc --pull=never -q --iidfile "$work/$tool-$name.id" -t "$image" "$dir" ;;
  api)
    timed "api_$name" curl -sS --fail --unix-socket "$work/api/engine.sock" -X POST \
      "http://engine/build?q=1&t=$image&jstack-context=$dir"
    grep -o '"ID":"sha256:[0-9a-f]*"' "$work/timed.out" | cut -d'"' -f4 >"$work/$tool-$name.id" || true
    ;;
  esac
  verify "$tool built no image ID for $name" grep -q '^sha256:[0-9a-f]\{64\}$' "$work/$tool-$name.id"
}
# clear TOOL: the tool's build cache and the images it built, the base image kept.
clear() {
  case $1 in
  jstack)
    "$root/jstack" image rm "$tag-cold:jstack" >/dev/null 2>&1 || true
    "$root/jstack" image prune --build-cache -a >/dev/null
    "$root/jstack" image prune >/dev/null
    verify "jstack's store lost the base image" "$root/jstack" image inspect jstack-examples/busybox:latest >/dev/null
    ;;
  api)
    as_api "$root/jstack" image rm "$tag-cold:api" >/dev/null 2>&1 || true
    as_api "$root/jstack" image prune --build-cache -a >/dev/null
    as_api "$root/jstack" image prune >/dev/null
    ;;
  docker)
    /usr/bin/docker rmi -f "$tag-cold:docker" >/dev/null 2>&1 || true
    ;;
  buildah)
    "${bh[@]}" rmi -f "$tag-cold:buildah" >/dev/null 2>&1 || true
    "${bh[@]}" rmi --prune >/dev/null 2>&1 || true
    verify "buildah's storage lost the base image" "${bh[@]}" inspect --type image jstack-examples/busybox:latest >/dev/null
    ;;
  esac
}
same_id() { cmp -s "$work/$1-cold.id" "$work/$1-cold.before"; }
other_id() { ! same_id "$1"; }

tools=(jstack docker buildah api)
jstack_cold=() docker_cold=() buildah_cold=() api_cold=()
jstack_noop=() docker_noop=() buildah_noop=() api_noop=()
jstack_change=() docker_change=() buildah_change=() api_change=()
jstack_big=() docker_big=() buildah_big=() api_big=()
ps=()
for r in $(seq 1 "$rounds"); do
  order=("${tools[@]:$(((r - 1) % 4))}" "${tools[@]:0:$(((r - 1) % 4))}")
  for t in "${order[@]}"; do clear "$t"; done
  for t in "${order[@]}"; do
    build "$t" cold "$cold"
    # A cold build runs its steps: its image is new (a cached one would be last round's).
    [[ ! -f $work/$t-cold.prev ]] || verify "$t's cold build was cached" \
      bash -c "! cmp -s '$work/$t-cold.id' '$work/$t-cold.prev'"
    cp "$work/$t-cold.id" "$work/$t-cold.prev"
  done
  for t in "${order[@]}"; do
    cp "$work/$t-cold.id" "$work/$t-cold.before"
    case $t in
    jstack) timed jstack_noop "$root/jstack" image build -q -t "$tag-cold:jstack" "$cold"
      tail -n 1 "$work/timed.out" >"$work/jstack-cold.id" ;;
    docker) timed docker_noop "${docker[@]}" build -q --iidfile "$work/docker-cold.id" -t "$tag-cold:docker" "$cold" ;;
    buildah) timed buildah_noop "${bh[@]}" bud --layers --runtime /usr/sbin/runc --pull=never -q --iidfile "$work/buildah-cold.id" -t "$tag-cold:buildah" "$cold" ;;
    api) build api noop "$cold" && cp "$work/api-noop.id" "$work/api-cold.id" ;;
    esac
    verify "$t's no-op rebuild made another image" same_id "$t"
  done
  echo "$r" >"$cold/app/changing.txt"
  for t in "${order[@]}"; do
    cp "$work/$t-cold.id" "$work/$t-cold.before"
    case $t in
    jstack) timed jstack_change "$root/jstack" image build -q -t "$tag-cold:jstack" "$cold"
      tail -n 1 "$work/timed.out" >"$work/jstack-cold.id" ;;
    docker) timed docker_change "${docker[@]}" build -q --iidfile "$work/docker-cold.id" -t "$tag-cold:docker" "$cold" ;;
    buildah) timed buildah_change "${bh[@]}" bud --layers --runtime /usr/sbin/runc --pull=never -q --iidfile "$work/buildah-cold.id" -t "$tag-cold:buildah" "$cold" ;;
    api) build api change "$cold" && cp "$work/api-change.id" "$work/api-cold.id" ;;
    esac
    verify "$t's build after a change gave the same image" other_id "$t"
  done
  echo "$r" >"$big/kept/changing.txt"
  for t in "${order[@]}"; do build "$t" big "$big"; done
  timed ps "$root/jstack" --engine embedded -f "$work/proj/compose.yaml" ps
done

# report NAME WHAT: medians and ratios of scenario NAME.
report() {
  local -n j="jstack_$1" d="docker_$1" b="buildah_$1" a="api_$1"
  local mj md mb ma
  mj=$(median "${j[@]}") md=$(median "${d[@]}") mb=$(median "${b[@]}") ma=$(median "${a[@]}")
  printf '%-34s jstack %6d ms  docker build (BuildKit) %6d ms  buildah bud %6d ms  docker/jstack %s  buildah/jstack %s\n' \
    "$2" "$mj" "$md" "$mb" "$(ratio "$md" "$mj")" "$(ratio "$mb" "$mj")"
  printf '%-34s engine alone (curl, context in place) %6d ms  docker/engine %s  buildah/engine %s\n' \
    "" "$ma" "$(ratio "$md" "$ma")" "$(ratio "$mb" "$ma")"
  echo "    jstack: ${j[*]} | docker: ${d[*]} | buildah: ${b[*]} | engine: ${a[*]}"
}
echo "build ($rounds rounds, whole process, medians; ratio > 1: jstack faster)"
report cold "(a) cold, 3 stages"
report noop "(b) no-op rebuild"
report change "(c) one file changed in the last COPY"
report big "(d) 200 MB context, mostly ignored"
mp=$(median "${ps[@]}") mn=$(median "${jstack_noop[@]}")
echo "jstack ps ${mp} ms; no-op rebuild - ps = $((mn - mp)) ms (target <= 100)"
echo "    ps: ${ps[*]}"
