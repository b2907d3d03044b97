#!/usr/bin/env bash
# Benchmark: `up -d` then `down` of (a) a 10-service dependency chain and (b) 50 independent
# services, jstack vs Debian's docker-compose 1.29 on the same dockerd and image, alternating,
# ROUNDS rounds (default 5); medians and ratios. Each `up` is checked: every container running.
# Last, dockerd's own floor for the 50: create and start through its API with curl (no client
# logic at all, 4 at a time), which bounds what any client on this dockerd can reach.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
rounds=${ROUNDS:-5}
work=$(mktemp -d)
cleanup() {
  for p in benchchain benchwide benchfloor; do
    ids=$(docker ps -aq --filter "label=com.docker.compose.project=$p")
    [[ -z $ids ]] || docker rm -f $ids >/dev/null
    for n in $(docker network ls -q --filter "name=${p}_default"); do docker network rm "$n" >/dev/null 2>&1 || true; done
  done
  rm -rf "$work"
}
trap cleanup EXIT

"$root/examples/build-image.sh" docker >/dev/null
"$root/jstack" --version >/dev/null # build the launcher first; not timed

mk() { # name count chain?
  local dir="$work/$1" n=$2 chain=$3
  mkdir -p "$dir"
  {
    echo "services:"
    for i in $(seq 1 "$n"); do
      echo "  s$i:"
      echo "    image: jstack-examples/busybox:latest"
      echo "    command: [\"sleep\", \"3600\"]"
      echo "    init: true"
      if [[ $chain == yes && $i -gt 1 ]]; then
        echo "    depends_on: [s$((i - 1))]"
      fi
    done
  } >"$dir/docker-compose.yml"
}
mk benchchain 10 yes
mk benchwide 50 no

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(((e - s) / 1000000)); }
running() { docker ps -q --filter "label=com.docker.compose.project=$1" --filter status=running | wc -l; }
median() { tr ' ' '\n' | sort -n | awk 'NF {a[++n]=$1} END {print a[int((n+1)/2)]}'; }


# dockerd's floor for the 50: the same containers (on one network, with init) created and started
# by raw API calls, 4 at a time: what no client on this dockerd can beat. One round after each
# round of the 50-service stack, so that it sees the same machine.
floor_round() {
  docker network create benchfloor_default >/dev/null
  local s e
  s=$(date +%s%N)
  seq 1 50 | xargs -P 4 -I{} sh -c 'curl -sf --unix-socket /var/run/docker.sock \
      -H "Content-Type: application/json" \
      -d "{\"Image\":\"jstack-examples/busybox:latest\",\"Cmd\":[\"sleep\",\"3600\"],\"Labels\":{\"com.docker.compose.project\":\"benchfloor\"},\"HostConfig\":{\"Init\":true,\"NetworkMode\":\"benchfloor_default\"}}" \
      "http://engine/v1.41/containers/create?name=benchfloor-{}" >/dev/null &&
    curl -sf --unix-socket /var/run/docker.sock -X POST "http://engine/v1.41/containers/benchfloor-{}/start"'
  e=$(date +%s%N)
  [[ $(running benchfloor) -eq 50 ]] || { echo "raw API left $(running benchfloor)/50 running" >&2; exit 1; }
  floor+=($(((e - s) / 1000000)))
  docker rm -f $(docker ps -aq --filter label=com.docker.compose.project=benchfloor) >/dev/null
  docker network rm benchfloor_default >/dev/null
}
floor=()
for stack in benchchain:10 benchwide:50; do
  name=${stack%%:*}
  count=${stack##*:}
  dir="$work/$name"
  declare -a jup=() jdown=() cup=() cdown=()
  for r in $(seq 1 "$rounds"); do
    cd "$dir"
    jup+=("$(ms "$root/jstack" --engine docker up -d)")
    [[ $(running "$name") -eq $count ]] || { echo "jstack up left $(running "$name")/$count running" >&2; exit 1; }
    jdown+=("$(ms "$root/jstack" --engine docker down)")
    cup+=("$(ms docker-compose up -d)")
    [[ $(running "$name") -eq $count ]] || { echo "docker-compose up left $(running "$name")/$count running" >&2; exit 1; }
    cdown+=("$(ms docker-compose down)")
    [[ $name != benchwide ]] || floor_round
  done
  ju=$(echo "${jup[*]}" | median)
  jd=$(echo "${jdown[*]}" | median)
  cu=$(echo "${cup[*]}" | median)
  cd_=$(echo "${cdown[*]}" | median)
  echo "$name ($count services, $rounds rounds): up -d  jstack ${ju} ms  docker-compose ${cu} ms  ratio $(awk -v a="$ju" -v b="$cu" 'BEGIN {printf "%.2f", a / b}')"
  echo "$name ($count services, $rounds rounds): down   jstack ${jd} ms  docker-compose ${cd_} ms  ratio $(awk -v a="$jd" -v b="$cd_" 'BEGIN {printf "%.2f", a / b}')"
  echo "  jstack up: ${jup[*]} | down: ${jdown[*]}"
  echo "  docker-compose up: ${cup[*]} | down: ${cdown[*]}"
  unset jup jdown cup cdown
done

echo "dockerd floor (50 services, raw API create+start, 4 at a time, alternating with the rounds above): $(echo "${floor[*]}" | median) ms  (${floor[*]})"
