#!/usr/bin/env bash
# Benchmark: the whole process of a short command, `ps` of a running three-service project, from
# exec to exit. jstack (its launcher, JVM and all) on its embedded engine and on dockerd, against
# Debian's docker-compose 1.29 and the docker CLI (`docker ps` filtered by the project's label) on
# dockerd; also `jstack --version` and `jstack config -q`, which reach no engine. With the engine
# running, the launcher's native client has the engine run each of those in its JVM; `ps` with
# JSTACK_RESIDENT=off (a JVM of its own) is timed too, for what that saves. Alternating,
# ROUNDS rounds (default 21, after 3 warm-ups); medians and ratios. Every timed command must
# succeed and `ps` must list the project's three containers. Target (issue 20): `jstack ps` median
# at most 250 ms. Root; dockerd running. The jstack engine runs from a temporary data root.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
source "$root/bench/lib.sh"
rounds=${ROUNDS:-21}
work=$(mktemp -d)
project=benchcli$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')
export JSTACK_DATA_ROOT=$work/data JSTACK_ENGINE_SOCKET=$work/engine.sock
cleanup() {
  if [[ -d $work/$project ]]; then
    (cd "$work/$project" && "$root/jstack" --engine embedded down -t 0 >/dev/null 2>&1) || true
    (cd "$work/$project" && docker-compose down -t 0 >/dev/null 2>&1) || true
  fi
  stop_engine || true
  remove "$work"
}
trap cleanup EXIT

busybox_into_engine
mkdir -p "$work/$project"
{
  echo "services:"
  for s in web api worker; do
    printf '  %s:\n    image: jstack-examples/busybox:latest\n    command: ["sleep", "3600"]\n' "$s"
    printf '    init: true\n    network_mode: none\n'
  done
} >"$work/$project/docker-compose.yml"
cd "$work/$project"
"$root/jstack" --engine embedded up -d >/dev/null
docker-compose up -d >/dev/null 2>&1
say_runtime

# lists_three COMMAND...: COMMAND's output has a line for each of the three services.
lists_three() {
  local out
  out=$("$@" 2>&1)
  [[ $(grep -c -E 'web|api|worker' <<<"$out") -ge 3 ]] || {
    echo "$* did not list the three services:" >&2
    echo "$out" >&2
    return 1
  }
}
verify "jstack ps (embedded) does not list the project" lists_three "$root/jstack" --engine embedded ps
verify "jstack ps (dockerd) does not list the project" lists_three env DOCKER_HOST=unix:///var/run/docker.sock "$root/jstack" ps
verify "docker-compose ps does not list the project" lists_three docker-compose ps

labels=(jstack-ps-embedded jstack-ps-own-jvm jstack-ps-dockerd docker-compose-ps docker-ps jstack-version jstack-config)
run() {
  case $1 in
    jstack-ps-embedded) "$root/jstack" ps ;;
    jstack-ps-own-jvm) JSTACK_RESIDENT=off "$root/jstack" ps ;;
    jstack-ps-dockerd) DOCKER_HOST=unix:///var/run/docker.sock "$root/jstack" ps ;;
    docker-compose-ps) docker-compose ps ;;
    docker-ps) docker ps --filter "label=com.docker.compose.project=$project" ;;
    jstack-version) "$root/jstack" --version ;;
    jstack-config) "$root/jstack" config -q ;;
  esac
}
declare -A times
for i in $(seq -3 "$((rounds - 1))"); do # three warm-up rounds, not counted
  for label in "${labels[@]}"; do
    t=()
    timed t run "$label"
    ((i < 0)) || times[$label]+="${t[0]} "
  done
done
declare -A med
for label in "${labels[@]}"; do
  # shellcheck disable=SC2086 # the list is numbers
  med[$label]=$(median ${times[$label]})
  printf '%-20s median %5s ms   (%s)\n' "$label" "${med[$label]}" "${times[$label]% }"
done
echo "jstack ps (embedded) / docker-compose ps: $(ratio "${med[jstack-ps-embedded]}" "${med[docker-compose-ps]}")"
echo "jstack ps (embedded) / docker ps: $(ratio "${med[jstack-ps-embedded]}" "${med[docker-ps]}")"
if ((med[jstack-ps-embedded] <= 250)); then
  echo "target: jstack ps median ${med[jstack-ps-embedded]} ms <= 250 ms: met"
else
  echo "target: jstack ps median ${med[jstack-ps-embedded]} ms <= 250 ms: NOT met"
fi
