#!/usr/bin/env bash
# Benchmark: `up -d` then `down` of 50 independent services with init, on the host network
# (NETWORK=host, the default) or all on one bridge network (NETWORK=bridge, Compose's default one),
# jstack on its embedded engine (its runtime + conmon, no dockerd in the path) vs Debian's
# docker-compose 1.29 on dockerd, same image content, alternating, ROUNDS rounds (default 5) after
# WARMUP rounds not counted (default 2); medians and ratios; whole process against whole process
# (jstack's CLI with its engine already running, as dockerd is). Every timed command must succeed; each `up` is checked by its effect
# (50 containers running), each `down` too (no container and no project network left).
# Targets (issue 20): up -d 4x faster on the host network, 6x on a bridge; down 4x on each.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
source "$root/bench/lib.sh"
rounds=${ROUNDS:-5}
warmup=${WARMUP:-2}
network=${NETWORK:-host}
[[ $network == host || $network == bridge ]] || { echo "NETWORK is host or bridge" >&2; exit 2; }
work=$(mktemp -d)
# A project named for this run: another run's containers on the same dockerd are not counted.
project=benchembedded$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')
export JSTACK_DATA_ROOT=$work/data JSTACK_ENGINE_SOCKET=$work/engine.sock
cleanup() {
  (cd "$work/$project" 2>/dev/null && "$root/jstack" --engine embedded down -t 1 >/dev/null 2>&1) || true
  "$root/jstack" engine stop >/dev/null 2>&1 || true
  ids=$(docker ps -aq --filter "label=com.docker.compose.project=$project")
  [[ -z $ids ]] || docker rm -f $ids >/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

busybox_into_engine
mkdir -p "$work/$project"
{
  echo "services:"
  for i in $(seq 1 50); do
    printf '  s%d:\n    image: jstack-examples/busybox:latest\n    command: ["sleep", "3600"]\n    init: true\n' "$i"
    [[ $network == bridge ]] || printf '    network_mode: host\n'
  done
} >"$work/$project/docker-compose.yml"
cd "$work/$project"
"$root/jstack" engine status >/dev/null 2>&1 || "$root/jstack" --engine embedded ps >/dev/null # start the engine; not timed
say_runtime

docker_running() {
  [[ $(docker ps -q --filter "label=com.docker.compose.project=$project" --filter status=running | wc -l) -eq 50 &&
    $(docker ps -aq --filter "label=com.docker.compose.project=$project" | wc -l) -eq 50 ]]
}
docker_nothing_left() {
  [[ -z $(docker ps -aq --filter "label=com.docker.compose.project=$project") &&
    -z $(docker network ls -q --filter "name=^${project}_default$") ]]
}
jup=() jdown=() cup=() cdown=()
# round SUFFIX: one round of both sides, its times added to the arrays named *SUFFIX.
round() {
  timed "jup$1" "$root/jstack" --engine embedded up -d
  verify "jstack up did not leave 50 containers running" engine_running 50
  timed "jdown$1" "$root/jstack" --engine embedded down
  verify "jstack down left containers or the network" engine_nothing_left "$project"
  timed "cup$1" docker-compose up -d
  verify "docker-compose up did not leave 50 containers running" docker_running
  timed "cdown$1" docker-compose down
  verify "docker-compose down left containers or the network" docker_nothing_left
}
# Warm-up rounds, not counted: the jstack engine just started (its JIT cold), dockerd long running.
jupw=() jdownw=() cupw=() cdownw=()
for r in $(seq 1 "$warmup"); do
  round w
done
for r in $(seq 1 "$rounds"); do
  round ""
done
ju=$(median "${jup[@]}") jd=$(median "${jdown[@]}")
cu=$(median "${cup[@]}") cd_=$(median "${cdown[@]}")
echo "50 services, $network network, $rounds rounds after $warmup warm-up rounds, whole process vs whole process: up -d  jstack embedded ${ju} ms  docker-compose+dockerd ${cu} ms  speed-up $(awk -v a="$cu" -v b="$ju" 'BEGIN {printf "%.1fx", a / b}')"
echo "50 services, $network network, $rounds rounds after $warmup warm-up rounds, whole process vs whole process: down   jstack embedded ${jd} ms  docker-compose+dockerd ${cd_} ms  speed-up $(awk -v a="$cd_" -v b="$jd" 'BEGIN {printf "%.1fx", a / b}')"
echo "  jstack up: ${jup[*]} | down: ${jdown[*]}"
echo "  docker-compose up: ${cup[*]} | down: ${cdown[*]}"
