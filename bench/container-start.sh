#!/usr/bin/env bash
# Benchmark: create-to-running latency of one container, like against like, ROUNDS rounds (default
# 30, after 3 warm-ups), alternating; median, p90, best and ratios:
#  - in-process against the peer's raw API (ContainerStartBench): jstack's runtime called in a JVM
#    (overlay root, bundle, conmon, runc) against dockerd's Engine API called from the same JVM;
#  - whole process against whole process: `docker run -d --network none` (the same docker CLI)
#    against the jstack engine's socket and against dockerd's, each container checked running and
#    removed (not timed).
# Target: in-process median <= 50 ms on these 2-core machines (`runc run` of /bin/true: about
# 21 ms). Root; dockerd running. The jstack engine runs from a temporary data root and socket.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
source "$root/bench/lib.sh"
rounds=${ROUNDS:-30}
work=$(mktemp -d)
export JSTACK_DATA_ROOT=$work/data JSTACK_ENGINE_SOCKET=$work/engine.sock
cleanup() {
  for h in "unix://$JSTACK_ENGINE_SOCKET" unix:///var/run/docker.sock; do
    ids=$(DOCKER_HOST=$h docker ps -aq --filter name=jstack-bench-cli- 2>/dev/null || true)
    [[ -z $ids ]] || DOCKER_HOST=$h docker rm -f $ids >/dev/null 2>&1 || true
  done
  "$root/jstack" engine stop >/dev/null 2>&1 || true
  remove "$work"
}
trap cleanup EXIT
"$root/examples/build-image.sh" docker >/dev/null
mvn -B -q -f "$root/pom.xml" -pl embedded-runtime -am test-compile dependency:build-classpath \
  -Dspotless.check.skip=true -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test >/dev/null
cp="$root/embedded-runtime/target/test-classes:$root/embedded-runtime/target/classes:$(cat "$work/cp.txt")"
java -cp "$cp" io.jstack.runtime.bench.ContainerStartBench "$rounds"

# The jstack engine with the image in its store, started before the clock runs (as dockerd is).
busybox_into_engine
printf 'services:\n  idle:\n    image: jstack-examples/busybox:latest\n' >"$work/compose.yaml"
"$root/jstack" --engine embedded -f "$work/compose.yaml" ps >/dev/null
say_runtime
jstack_host="unix://$JSTACK_ENGINE_SOCKET"
dockerd_host=unix:///var/run/docker.sock
# running HOST NAME: the container NAME runs on HOST.
running() { [[ $(DOCKER_HOST=$1 docker inspect -f '{{.State.Running}}' "$2") == true ]]; }
gone() { ! DOCKER_HOST=$1 docker inspect "$2" >/dev/null 2>&1; }
jr=() dr=()
for i in $(seq -3 "$((rounds - 1))"); do # three warm-up rounds, not counted
  for side in jstack dockerd; do
    host=${side}_host
    host=${!host}
    name=jstack-bench-cli-$side-$((i + 3))
    t=()
    timed t env DOCKER_HOST="$host" docker run -d --network none --name "$name" \
      jstack-examples/busybox:latest sleep 60
    verify "$name is not running on $side" running "$host" "$name"
    DOCKER_HOST=$host docker rm -f "$name" >/dev/null
    verify "$name is left on $side" gone "$host" "$name"
    if ((i >= 0)); then
      if [[ $side == jstack ]]; then jr+=("${t[0]}"); else dr+=("${t[0]}"); fi
    fi
  done
done
p90() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {i=int(0.9*(NR-1)+0.5)+1; print a[i]}'; }
best() { printf '%s\n' "$@" | sort -n | head -n 1; }
jm=$(median "${jr[@]}") dm=$(median "${dr[@]}")
echo "create-to-running, whole process vs whole process ($rounds rounds): docker run -d (docker CLI) on the jstack engine median ${jm} ms (p90 $(p90 "${jr[@]}"), best $(best "${jr[@]}")); on dockerd median ${dm} ms (p90 $(p90 "${dr[@]}"), best $(best "${dr[@]}")); ratio jstack/dockerd $(ratio "$jm" "$dm")"
