#!/usr/bin/env bash
# Benchmark (issue 19, acceptance 7; target: jstack at most half of Testcontainers' time): time from
# a test JVM's start to its first test running, with examples/hello up and web healthy, both sides
# as their users write it: jstack's JUnit extension (@JStack, web on a free port) on the embedded
# engine vs Testcontainers' DockerComposeContainer (withLocalCompose(true): Debian's docker-compose,
# withPull(false), web exposed through Testcontainers' ambassador) on dockerd. Each side is a
# one-class Maven project under bench/junit-start/, run with `mvn -o test`; the test itself records
# the time since its JVM started (Maven's own start-up is not counted). Both engines already
# running. Alternating, ROUNDS rounds (default 5); medians and their ratio.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
source "$root/bench/lib.sh"
rounds=${ROUNDS:-5}
work=$(mktemp -d)
export JSTACK_DATA_ROOT=$work/data JSTACK_ENGINE_SOCKET=$work/engine.sock
cleanup() {
  stop_engine || true
  remove "$work"
}
trap cleanup EXIT

# Not timed: jstack's jars in the local repository, both projects compiled, the image on both
# engines, Testcontainers' ambassador image built locally (it would pull it from Docker Hub).
(cd "$root" && mvn -B -q -o install -pl junit -am -DskipTests -Dspotless.check.skip=true >/dev/null)
"$root/examples/build-image.sh" docker
"$root/examples/build-image.sh" embedded
"$root/bench/junit-start/socat-image.sh"
for side in jstack testcontainers; do
  # Online: the first time, each project's plugins and libraries come from Maven Central. Its
  # output only when it fails.
  (cd "$root/bench/junit-start/$side" && mvn -B -q test-compile >"$work/prepare.log" 2>&1) ||
    { cat "$work/prepare.log" >&2; echo "bench: preparing the $side project failed" >&2; exit 1; }
done
"$root/jstack" engine start >/dev/null
echo "runtime: $("$root/jstack" engine status 2>&1 | tr "\n" " ")"

jstack_first() {
  (cd "$root/bench/junit-start/jstack" &&
    CI=true JSTACK_ENGINE=embedded mvn -B -q -o test -Dbench.out="$work/first.txt")
}
testcontainers_first() {
  (cd "$root/bench/junit-start/testcontainers" &&
    TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_CHECKS_DISABLE=true \
      TESTCONTAINERS_HOST_OVERRIDE=localhost HELLO_PORT=0 \
      mvn -B -q -o test -Dhello.compose="$root/examples/hello/compose.yaml" -Dbench.out="$work/first.txt")
}
run() { # run ARRAY SIDE: one run of SIDE; its test's own figure appended to ARRAY
  local -n into=$1
  rm -f "$work/first.txt"
  local ignored=()
  timed ignored "$2_first"
  verify "$2: the test recorded no time" test -s "$work/first.txt"
  into+=("$(<"$work/first.txt")")
}
js=() tc=()
for r in $(seq 1 "$rounds"); do
  run js jstack
  run tc testcontainers
done
jm=$(median "${js[@]}") tm=$(median "${tc[@]}")
echo "examples/hello, test JVM start to first test with web healthy, $rounds rounds: jstack extension (embedded) ${jm} ms  Testcontainers DockerComposeContainer (docker-compose on dockerd) ${tm} ms  ratio (jstack / Testcontainers) $(ratio "$jm" "$tm") (target <= 0.50)"
echo "  jstack: ${js[*]}"
echo "  testcontainers: ${tc[*]}"
