#!/usr/bin/env bash
# Benchmark: deploying (a) a 10-service dependency chain and (b) 50 independent services as a
# stack on a real two-node Swarm (engine-testing's SwarmRig: a manager and a worker, each a dockerd
# of Debian's docker.io in a network namespace of its own, the busybox test image loaded on both),
# jstack (`--engine swarm up`) vs `docker stack deploy --resolve-image never`, same Compose file,
# same manager, alternating, ROUNDS rounds (default 5) after one warm-up round; medians and
# ratios. Each deploy is timed from the command's start until every task of every service of the
# stack runs, by the same poller for both (the manager's /services?status=true every 100 ms, once
# the command has returned); jstack's `up --wait`, which waits by itself (polling every 250 ms),
# is a third column, timed as its whole process. Every timed command must succeed and is checked
# by its effect (all the stack's services with all their tasks running); between runs the stack is
# removed, untimed, until no service, container or network of it is left on either node.
# Every service has `deploy: {endpoint_mode: dnsrr}`: this kernel has no IPVS, so Swarm's virtual
# IPs (the default endpoint mode) do not work here. CHAIN and WIDE set the stacks' sizes (0 leaves
# one out), DOCKER_CLI the docker client (default: Debian's /usr/bin/docker, the release of the
# dockerd measured, else docker on PATH). Root (network namespaces); the host's dockerd running
# (the image is built there and copied into the swarm).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
rounds=${ROUNDS:-5}
chain_size=${CHAIN:-10}
wide_size=${WIDE:-50}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [[ $(id -u) -ne 0 ]]; then
  echo "bench: the swarm rig makes network namespaces and starts dockerd: run as root" >&2
  exit 1
fi

# The peer's docker client: DOCKER_CLI, else the first of Debian's and PATH's whose `stack deploy`
# runs here.
if [[ -n ${DOCKER_CLI:-} ]]; then
  candidates=("$DOCKER_CLI")
else
  candidates=(/usr/bin/docker docker)
fi
docker_cli=
for c in "${candidates[@]}"; do
  c=$(command -v "$c") || continue
  if "$c" stack deploy --help >/dev/null 2>&1; then
    docker_cli=$c
    break
  fi
done
if [[ -z $docker_cli ]]; then
  echo "bench: no docker client with 'stack deploy' among: ${candidates[*]}; name one with DOCKER_CLI=" >&2
  exit 1
fi

"$root/examples/build-image.sh" docker >/dev/null
"$root/jstack" --version >/dev/null # build the launcher first; not timed
# One reactor build (-am, never install), so that the planner's classpath names the sibling
# modules' target/classes; the planner, built last, writes the file last.
mvn -B -q -f "$root/pom.xml" -pl planner -am test-compile dependency:build-classpath \
  -Dspotless.check.skip=true -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test >/dev/null
cp="$root/planner/target/test-classes:$root/planner/target/classes:$(cat "$work/cp.txt")"

# As bench/compose-vs.sh writes them, and a version: Debian's docker 20.10 client takes no Compose
# file without one ("unsupported Compose file version: 1.0"); jstack ignores it, with a warning.
mk() { # name count chain?
  local dir="$work/$1" n=$2 chain=$3
  mkdir -p "$dir"
  {
    echo 'version: "3.8"'
    echo "services:"
    for i in $(seq 1 "$n"); do
      echo "  s$i:"
      echo "    image: jstack-examples/busybox:latest"
      echo "    command: [\"sleep\", \"3600\"]"
      echo "    init: true"
      if [[ $chain == yes && $i -gt 1 ]]; then
        echo "    depends_on: [s$((i - 1))]"
      fi
      echo "    deploy: {endpoint_mode: dnsrr}"
    done
  } >"$dir/docker-compose.yml"
}
stacks=()
if ((chain_size > 0)); then
  mk chain "$chain_size" yes
  stacks+=("chain:$chain_size:$work/chain/docker-compose.yml")
fi
if ((wide_size > 0)); then
  mk wide "$wide_size" no
  stacks+=("wide:$wide_size:$work/wide/docker-compose.yml")
fi

# The driver starts the swarm, runs the rounds, prints the figures and removes the swarm, also on
# failure and on Ctrl-C.
java -cp "$cp" io.jstack.planner.bench.SwarmDeployBench "$work" "$root/jstack" "$docker_cli" \
  "$rounds" "${stacks[@]}"
