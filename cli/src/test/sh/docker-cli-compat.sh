#!/usr/bin/env bash
# The docker CLI against the jstack engine, command by command, next to the same command on
# dockerd: same exit codes, same output (times and IDs that differ by nature are normalised).
#
#   docker-cli-compat.sh JSTACK_SOCKET REGISTRY_HOST
#
# Both engines must hold jstack-examples/busybox:latest; REGISTRY_HOST (127.0.0.1:PORT) must serve
# it as compat/busybox:v1. Prints one line per check; exits 1 if any differs. Removes what it made
# on both engines, also when a check fails.
set -uo pipefail
jstack_host="unix://$1"
registry="$2"
dockerd_host="${DOCKERD_HOST:-unix:///var/run/docker.sock}"
image=jstack-examples/busybox:latest
tag=$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
name="compat-$tag"
volume="compat-vol-$tag"
network="compat-net-$tag"
loaded="compat-loaded/busybox:$tag"
work=$(mktemp -d)
failures=0

cleanup() {
  for h in "$dockerd_host" "$jstack_host"; do
    DOCKER_HOST=$h docker rm -f "$name-run" "$name-d" "$name-x" >/dev/null 2>&1
    DOCKER_HOST=$h docker volume rm "$volume" >/dev/null 2>&1
    DOCKER_HOST=$h docker network rm "$network" >/dev/null 2>&1
    DOCKER_HOST=$h docker rmi "$loaded" "$registry/compat/busybox:v1" >/dev/null 2>&1
  done
  rm -rf "$work"
}
trap cleanup EXIT

# Runs `docker ARGS...` on one engine: "<exit code>\n<stdout>\n--stderr--\n<stderr>", normalised.
on() {
  local host=$1
  shift
  local out err code
  out=$(DOCKER_HOST=$host docker "$@" 2>"$work/err" <"${STDIN_FILE:-/dev/null}")
  code=$?
  err=$(cat "$work/err")
  printf '%s\n%s\n--stderr--\n%s\n' "$code" "$out" "$err" | normalise
}

# What differs between two engines by nature: ages, sizes of layers stored differently.
normalise() {
  sed -E \
    -e 's/(Up|Exited \([0-9]+\)) (Less than a second|About a minute|[0-9]+ (seconds|minutes|hours))( ago)?/\1 SOME-TIME/' \
    -e 's/[0-9]+ (seconds|minutes|hours) ago/SOME-TIME ago/g' \
    -e 's/Error response from daemon: //' \
    -e 's/(No such (container|object|volume)): .*/\1/I'
}

# check NAME ARGS...: the same docker command on both engines must agree.
check() {
  local what=$1
  shift
  local a b
  a=$(on "$dockerd_host" "$@")
  b=$(on "$jstack_host" "$@")
  if [[ "$a" == "$b" ]]; then
    echo "ok   $what"
  else
    echo "DIFF $what: docker $*"
    diff <(echo "$a") <(echo "$b") | sed 's/^/     /'
    failures=$((failures + 1))
  fi
}

# expect NAME PATTERN ARGS...: on the jstack engine alone (for answers that name the engine),
# exit 0 and output matching PATTERN.
expect() {
  local what=$1 pattern=$2
  shift 2
  local b
  b=$(on "$jstack_host" "$@")
  if [[ "$(head -n 1 <<<"$b")" == 0 ]] && grep -Eq -- "$pattern" <<<"$b"; then
    echo "ok   $what"
  else
    echo "DIFF $what: docker $* gave:"
    sed 's/^/     /' <<<"$b"
    failures=$((failures + 1))
  fi
}

expect version 'jstack' version --format '{{.Server.Version}} {{.Server.APIVersion}}'
check version-client version --format '{{.Client.Os}}'
check info info --format '{{.OSType}} {{.NCPU}} {{.MemTotal}}'
expect info-server 'jstack' info --format '{{.ServerVersion}}'
check images images --format '{{.Repository}}:{{.Tag}}' "$image"
check pull pull -q "$registry/compat/busybox:v1"
check pulled-id image inspect -f '{{.Id}}' "$registry/compat/busybox:v1"

check run-rm run --rm --network host "$image" sh -c 'echo out; echo err >&2; exit 3'
check run-default-network run --rm "$image" sh -c 'ip -o -4 route | grep -c default; exit 4'
printf 'one\ntwo\n' >"$work/lines"
STDIN_FILE="$work/lines" check run-stdin run -i --rm "$image" wc -l
check run-rm-gone ps -a --filter "name=^/$name-run$" --format '{{.Names}}'
check run-named run --name "$name-run" --network host "$image" sh -c 'echo one; echo two; exit 5'
check ps-a ps -a --filter "name=^/$name-run$" --format '{{.Names}} {{.Image}} {{.Command}} {{.Status}}'
check inspect-exited inspect -f '{{.Name}} {{.State.Status}} {{.State.Running}} {{.State.ExitCode}} {{.Config.Image}} {{.HostConfig.NetworkMode}}' "$name-run"
check logs logs "$name-run"

for h in "$dockerd_host" "$jstack_host"; do
  DOCKER_HOST=$h docker run -d --name "$name-d" --network host "$image" \
    sh -c 'for i in 1 2 3; do echo line $i; sleep 0.3; done' >/dev/null
done
check logs-f logs -f "$name-d"
check wait wait "$name-d"

for h in "$dockerd_host" "$jstack_host"; do
  DOCKER_HOST=$h docker run -d --name "$name-x" --network host -e FROM_RUN=yes "$image" sleep 600 >/dev/null
done
check inspect-running inspect -f '{{.State.Status}} {{.State.Running}} {{.Config.Cmd}}' "$name-x"
check exec exec -e EXTRA=1 -w /tmp "$name-x" sh -c 'echo $FROM_RUN $EXTRA; pwd; echo to-err >&2; exit 4'
check exec-user exec -u nobody "$name-x" id
printf 'piped\ninput\n' >"$work/in"
STDIN_FILE="$work/in" check exec-stdin exec -i "$name-x" sh -c 'cat; wc -l </dev/null'
check exec-missing exec "$name-x-missing" true
check stop stop -t 1 "$name-x"
check inspect-stopped inspect -f '{{.State.Running}} {{.State.Status}}' "$name-x"
check rm-f rm -f "$name-x" "$name-run" "$name-d"
check rm-gone inspect "$name-x"

check volume-create volume create "$volume"
check volume-ls volume ls --filter "name=$volume" --format '{{.Name}} {{.Driver}}'
check volume-rm volume rm "$volume"
check volume-rm-again volume rm "$volume"

for h in "$dockerd_host" "$jstack_host"; do
  DOCKER_HOST=$h docker network create "$network" >/dev/null
done
check network-ls network ls --filter "name=$network" --format '{{.Name}} {{.Driver}} {{.Scope}}'
check network-run run --rm --network "$network" --name "$name-n" "$image" sh -c 'nslookup '"$name-n"' >/dev/null && echo resolved'
check network-rm network rm "$network"
check network-rm-again network rm "$network"

DOCKER_HOST=$dockerd_host docker tag "$image" "$loaded"
DOCKER_HOST=$dockerd_host docker save -o "$work/image.tar" "$loaded"
DOCKER_HOST=$dockerd_host docker rmi "$loaded" >/dev/null
check load load -i "$work/image.tar"
check loaded-id image inspect -f '{{.Id}}' "$loaded"

if ((failures)); then
  echo "$failures docker command(s) behave differently on the jstack engine"
  exit 1
fi
echo "all docker commands behave the same on the jstack engine and on dockerd"
