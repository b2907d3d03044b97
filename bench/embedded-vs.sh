#!/usr/bin/env bash
# Benchmark: `up -d` then `down` of 50 independent services with init, on the host network
# (NETWORK=host, the default) or all on one bridge network (NETWORK=bridge, Compose's default one),
# jstack on its embedded engine (runc + conmon, no dockerd in the path) vs Debian's
# docker-compose 1.29 on dockerd, same image content, alternating, ROUNDS rounds (default 5);
# medians and ratios. Each `up` is checked: 50 containers running. Target: jstack >= 4x faster up.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
rounds=${ROUNDS:-5}
network=${NETWORK:-host}
[[ $network == host || $network == bridge ]] || { echo "NETWORK is host or bridge" >&2; exit 2; }
work=$(mktemp -d)
export JSTACK_DATA_ROOT=$work/data JSTACK_ENGINE_SOCKET=$work/engine.sock
cleanup() {
  (cd "$work/benchembedded" 2>/dev/null && "$root/jstack" --engine embedded down -t 1 >/dev/null 2>&1) || true
  "$root/jstack" engine stop >/dev/null 2>&1 || true
  ids=$(docker ps -aq --filter label=com.docker.compose.project=benchembedded)
  [[ -z $ids ]] || docker rm -f $ids >/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$root/examples/build-image.sh" docker >/dev/null
"$root/jstack" --version >/dev/null # build the launcher first; not timed
docker save jstack-examples/busybox:latest | "$root/jstack" image load >/dev/null
mkdir -p "$work/benchembedded"
{
  echo "services:"
  for i in $(seq 1 50); do
    printf '  s%d:\n    image: jstack-examples/busybox:latest\n    command: ["sleep", "3600"]\n    init: true\n' "$i"
    [[ $network == bridge ]] || printf '    network_mode: host\n'
  done
} >"$work/benchembedded/docker-compose.yml"
cd "$work/benchembedded"
"$root/jstack" engine status >/dev/null 2>&1 || "$root/jstack" --engine embedded ps >/dev/null # start the engine; not timed

ms() { local s e; s=$(date +%s%N); "$@" >"$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }; e=$(date +%s%N); echo $(((e - s) / 1000000)); }
median() { tr ' ' '\n' | sort -n | awk 'NF {a[++n]=$1} END {print a[int((n+1)/2)]}'; }
jup=() jdown=() cup=() cdown=()
for r in $(seq 1 "$rounds"); do
  jup+=("$(ms "$root/jstack" --engine embedded up -d)")
  up=$("$root/jstack" --engine embedded ps | grep -c ' Up ' || true)
  [[ $up -eq 50 ]] || { echo "jstack up left $up/50 running" >&2; exit 1; }
  jdown+=("$(ms "$root/jstack" --engine embedded down)")
  cup+=("$(ms docker-compose up -d)")
  up=$(docker ps -q --filter label=com.docker.compose.project=benchembedded --filter status=running | wc -l)
  [[ $up -eq 50 ]] || { echo "docker-compose up left $up/50 running" >&2; exit 1; }
  cdown+=("$(ms docker-compose down)")
done
ju=$(echo "${jup[*]}" | median) jd=$(echo "${jdown[*]}" | median)
cu=$(echo "${cup[*]}" | median) cd_=$(echo "${cdown[*]}" | median)
echo "50 services, $network network, $rounds rounds: up -d  jstack embedded ${ju} ms  docker-compose+dockerd ${cu} ms  speed-up $(awk -v a="$cu" -v b="$ju" 'BEGIN {printf "%.1fx", a / b}')"
echo "50 services, $network network, $rounds rounds: down   jstack embedded ${jd} ms  docker-compose+dockerd ${cd_} ms  speed-up $(awk -v a="$cd_" -v b="$jd" 'BEGIN {printf "%.1fx", a / b}')"
echo "  jstack up: ${jup[*]} | down: ${jdown[*]}"
echo "  docker-compose up: ${cup[*]} | down: ${cdown[*]}"
