#!/usr/bin/env bash
# Benchmark: plan `up` for generated projects of 100, 1,000 and 5,000 services on 100 networks.
# Reports the warm in-process time of new Planner(...).up(...) (median, best and p90 of many runs
# after a warm-up) for a fresh up (empty engine) and a no-op up (everything already up), and a
# growth table. Loading the project and reading the engine's state are not timed.
# Target: <= 100 ms warm for 1,000 services. SIZES="100 1000" picks other sizes.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
sizes=${SIZES:-100 1000 5000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One reactor build (-am, never install), so that the planner's classpath names the sibling
# modules' target/classes; the planner, built last, writes the file last.
mvn -B -q -f "$root/pom.xml" -pl planner -am test-compile dependency:build-classpath \
  -Dspotless.check.skip=true -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test >/dev/null
cp="$root/planner/target/test-classes:$root/planner/target/classes:$(cat "$work/cp.txt")"

# shellcheck disable=SC2086 # sizes are words
java ${JAVA_OPTS:--Xmx2g} -cp "$cp" io.jstack.planner.bench.PlanBench "$work/projects" $sizes
