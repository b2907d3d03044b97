#!/usr/bin/env bash
# Benchmark: create-to-running latency of one container on the embedded runtime (overlay root,
# bundle, conmon, runc) over ROUNDS rounds (default 30, after 3 warm-ups), and `docker run -d`
# of the same content on dockerd in the same run when it is there. Median, p90, best; ratio.
# Target: median <= 50 ms on these 2-core machines (`runc run` of /bin/true: about 21 ms). Root.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$root/examples/build-image.sh" docker >/dev/null 2>&1 || true
mvn -B -q -f "$root/pom.xml" -pl embedded-runtime -am test-compile dependency:build-classpath \
  -Dspotless.check.skip=true -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test >/dev/null
cp="$root/embedded-runtime/target/test-classes:$root/embedded-runtime/target/classes:$(cat "$work/cp.txt")"
java -cp "$cp" io.jstack.runtime.bench.ContainerStartBench "${ROUNDS:-30}"
