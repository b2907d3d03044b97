#!/usr/bin/env bash
# Benchmark: `up -d` then `down` of (a) a 10-service dependency chain and (b) 50 independent
# services, jstack vs Debian's docker-compose 1.29 on the same dockerd and image, alternating,
# ROUNDS rounds (default 5); medians and ratios. Whole process against whole process (each tool's
# command, start-up included). Every timed command must succeed; each `up` is checked by its effect
# (every container running), each `down` too (no container and no network of the project left).
# Last, dockerd's own floor for the 50: create and start through its API with curl (no client
# logic at all, 4 at a time), which bounds what any client on this dockerd can reach.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
source "$root/bench/lib.sh"
rounds=${ROUNDS:-5}
work=$(mktemp -d)
# Projects named for this run: another run's leftovers (or another run at the same time) on the
# same dockerd are not counted, nor removed.
tag=$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')
chain=benchchain$tag wide=benchwide$tag floor_project=benchfloor$tag
cleanup() {
  for p in "$chain" "$wide" "$floor_project"; do
    ids=$(docker ps -aq --filter "label=com.docker.compose.project=$p")
    [[ -z $ids ]] || docker rm -f $ids >/dev/null
    for n in $(docker network ls -q --filter "name=${p}_default"); do docker network rm "$n" >/dev/null 2>&1 || true; done
  done
  rm -rf "$work"
}
trap cleanup EXIT

"$root/examples/build-image.sh" docker >/dev/null
"$root/jstack" --version >/dev/null # build the launcher first; not timed
say_runtime

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
mk "$chain" 10 yes
mk "$wide" 50 no

running() { docker ps -q --filter "label=com.docker.compose.project=$1" --filter status=running | wc -l; }
# all_running PROJECT COUNT: exactly COUNT containers of PROJECT, all running.
all_running() {
  [[ $(running "$1") -eq $2 && $(docker ps -aq --filter "label=com.docker.compose.project=$1" | wc -l) -eq $2 ]]
}
# nothing_left PROJECT: no container and no default network of PROJECT.
nothing_left() {
  [[ -z $(docker ps -aq --filter "label=com.docker.compose.project=$1") &&
    -z $(docker network ls -q --filter "name=^${1}_default$") ]]
}


# dockerd's floor for the 50: the same containers (on one network, with init) created and started
# by raw API calls, 4 at a time: what no client on this dockerd can beat. One round after each
# round of the 50-service stack, so that it sees the same machine.
floor_round() {
  docker network create "${floor_project}_default" >/dev/null
  # xargs exits non-zero when any create or start failed (curl -f: an HTTP error is a failure).
  timed floor xargs -P 4 -I{} sh -c 'curl -sf --unix-socket /var/run/docker.sock \
      -H "Content-Type: application/json" \
      -d "{\"Image\":\"jstack-examples/busybox:latest\",\"Cmd\":[\"sleep\",\"3600\"],\"Labels\":{\"com.docker.compose.project\":\"$0\"},\"HostConfig\":{\"Init\":true,\"NetworkMode\":\"$0_default\"}}" \
      "http://engine/v1.41/containers/create?name=$0-{}" >/dev/null &&
    curl -sf --unix-socket /var/run/docker.sock -X POST "http://engine/v1.41/containers/$0-{}/start"' \
    "$floor_project" < <(seq 1 50)
  verify "raw API left $(running "$floor_project")/50 running" all_running "$floor_project" 50
  docker rm -f $(docker ps -aq --filter "label=com.docker.compose.project=$floor_project") >/dev/null
  docker network rm "${floor_project}_default" >/dev/null
  verify "the floor's containers or network are left" nothing_left "$floor_project"
}
floor=()
for stack in "$chain:10" "$wide:50"; do
  name=${stack%%:*}
  count=${stack##*:}
  dir="$work/$name"
  declare -a jup=() jdown=() cup=() cdown=()
  cd "$dir"
  for r in $(seq 1 "$rounds"); do
    timed jup "$root/jstack" --engine docker up -d
    verify "jstack up left $(running "$name")/$count running" all_running "$name" "$count"
    timed jdown "$root/jstack" --engine docker down
    verify "jstack down left containers or the network of $name" nothing_left "$name"
    timed cup docker-compose up -d
    verify "docker-compose up left $(running "$name")/$count running" all_running "$name" "$count"
    timed cdown docker-compose down
    verify "docker-compose down left containers or the network of $name" nothing_left "$name"
    if [[ $name == "$wide" ]]; then
      floor_round
    fi
  done
  ju=$(median "${jup[@]}") jd=$(median "${jdown[@]}")
  cu=$(median "${cup[@]}") cd_=$(median "${cdown[@]}")
  echo "${name%"$tag"} ($count services, $rounds rounds, whole process vs whole process): up -d  jstack ${ju} ms  docker-compose ${cu} ms  ratio $(ratio "$ju" "$cu")"
  echo "${name%"$tag"} ($count services, $rounds rounds, whole process vs whole process): down   jstack ${jd} ms  docker-compose ${cd_} ms  ratio $(ratio "$jd" "$cd_")"
  echo "  jstack up: ${jup[*]} | down: ${jdown[*]}"
  echo "  docker-compose up: ${cup[*]} | down: ${cdown[*]}"
  unset jup jdown cup cdown
done

echo "dockerd floor (50 services, raw API create+start with curl, 4 at a time, alternating with the rounds above): $(median "${floor[@]}") ms  (${floor[*]})"
