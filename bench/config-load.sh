#!/usr/bin/env bash
# Benchmark: load + interpolate + merge + validate + normalise a generated 1,000-service project.
# Reports the warm in-process time (median of many loads in one JVM) and the whole-process time of
# `jstack config -q` (median of separate runs). Targets: <= 300 ms warm, <= 1.5 s per process.
# When Debian's docker-compose (1.29) is installed, its `config -q` on the same files is timed too.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
services=${SERVICES:-1000}
runs=${RUNS:-11}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mvn -B -q -f "$root/pom.xml" -pl compose-model -am test-compile -Dspotless.check.skip=true >/dev/null
mvn -B -q -f "$root/pom.xml" -pl compose-model dependency:build-classpath \
  -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test >/dev/null
cp="$root/compose-model/target/test-classes:$root/compose-model/target/classes:$(cat "$work/cp.txt")"

java -cp "$cp" io.jstack.compose.bench.LoadBench generate "$work/project" "$services" >/dev/null
mkdir -p "$work/project/config" && touch "$work/project/config/app.conf"
java -cp "$cp" io.jstack.compose.bench.LoadBench run "$work/project" "${WARM_RUNS:-40}"

"$root/jstack" --version >/dev/null # build the launcher first; not timed
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_runs() { # command...
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    echo $(((t1 - t0) / 1000000))
  done
}
cd "$work/project"
jstack_ms=$(time_runs "$root/jstack" config -q | median)
echo "whole process, jstack config -q: median ${jstack_ms} ms over $runs runs"
if command -v docker-compose >/dev/null; then
  dc_ms=$(time_runs docker-compose config -q | median)
  echo "whole process, docker-compose $(docker-compose version --short 2>/dev/null) config -q: median ${dc_ms} ms over $runs runs"
  awk -v a="$jstack_ms" -v b="$dc_ms" 'BEGIN {printf "ratio jstack/docker-compose: %.2f\n", a / b}'
fi
