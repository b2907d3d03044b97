#!/usr/bin/env bash
# Benchmark: load + interpolate + merge + validate + normalise a generated 1,000-service project.
# Reports the warm in-process time (median of many loads in one JVM) and the whole-process time of
# `jstack config -q` (median of separate runs). Targets: <= 300 ms warm, <= 1.5 s per process.
# When Debian's docker-compose (1.29) is installed, its `config -q` on the same files is timed too
# (whole process against whole process): 1.29 refuses the top-level `name:` of the Compose spec, so
# it reads a copy without it and is given the name with -p. Both are given the two files with -f.
# Every timed run must succeed; before timing, both must list every service and apply the override.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
source "$root/bench/lib.sh"
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
files=(-f compose.yaml -f compose.override.yaml)
# loads_all TOOL...: TOOL's `config` lists every generated service and applies the override (to
# every third service).
loads_all() {
  local n overridden
  n=$("$@" "${files[@]}" config --services | wc -l)
  overridden=$("$@" "${files[@]}" config | grep -c 'LOG_LEVEL: debug')
  [[ $n -eq $services && $overridden -eq $(((services + 2) / 3)) ]] ||
    { echo "$* config: $n of $services services, $overridden overridden" >&2; return 1; }
}
cp -r "$work/project" "$work/project-dc"
sed -i '/^name: /d' "$work/project-dc/compose.yaml"
cd "$work/project"
verify "jstack does not load the whole project" loads_all "$root/jstack"
jstack_runs=()
for _ in $(seq "$runs"); do timed jstack_runs "$root/jstack" "${files[@]}" config -q; done
jstack_ms=$(median "${jstack_runs[@]}")
echo "whole process, jstack config -q: median ${jstack_ms} ms over $runs runs (${jstack_runs[*]})"
if command -v docker-compose >/dev/null; then
  cd "$work/project-dc"
  verify "docker-compose does not load the whole project" loads_all docker-compose -p bench
  dc_runs=()
  for _ in $(seq "$runs"); do timed dc_runs docker-compose -p bench "${files[@]}" config -q; done
  dc_ms=$(median "${dc_runs[@]}")
  echo "whole process, docker-compose $(docker-compose version --short 2>/dev/null) config -q: median ${dc_ms} ms over $runs runs (${dc_runs[*]})"
  echo "ratio jstack/docker-compose (whole process vs whole process): $(ratio "$jstack_ms" "$dc_ms")"
fi
