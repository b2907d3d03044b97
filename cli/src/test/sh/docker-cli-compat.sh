#!/usr/bin/env bash
# The docker CLI against the jstack engine, command by command, next to the same command on
# dockerd: same exit codes, same output (times and IDs that differ by nature are normalised). Each
# check also names the exit code it expects: both engines failing alike is a failure, not a match.
#
#   docker-cli-compat.sh JSTACK_SOCKET REGISTRY_HOST
#
# Both engines must hold jstack-examples/busybox:latest; REGISTRY_HOST (127.0.0.1:PORT) must serve
# it as compat/busybox:v1. Prints one line per check; exits 1 if any fails or differs, at once if a
# set-up step fails. Removes what it made on both engines, also when a check fails.
set -uo pipefail
jstack_host="unix://$1"
registry="$2"
dockerd_host="${DOCKERD_HOST:-unix:///var/run/docker.sock}"
image=jstack-examples/busybox:latest
tag=$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
name="compat-$tag"
volume="compat-vol-$tag"
network="compat-net-$tag"
committed="compat-committed/busybox:$tag"
loaded="compat-loaded/busybox:$tag"
work=$(mktemp -d)
failures=0

cleanup() {
  for h in "$dockerd_host" "$jstack_host"; do
    DOCKER_HOST=$h docker rm -f "$name-run" "$name-d" "$name-x" "$name-c" "$name-c2" "$name-cp" >/dev/null 2>&1
    DOCKER_HOST=$h docker rmi "$committed" "$committed-2" >/dev/null 2>&1
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

# compare WANT PATTERN NAME ARGS...: the same docker command on both engines must exit WANT, its
# output must match PATTERN (an extended regular expression; '' for any), and the two must agree.
compare() {
  local want=$1 pattern=$2 what=$3
  shift 3
  local a b
  a=$(on "$dockerd_host" "$@")
  b=$(on "$jstack_host" "$@")
  local code_a code_b
  code_a=$(head -n 1 <<<"$a")
  code_b=$(head -n 1 <<<"$b")
  if [[ $code_a != "$want" || $code_b != "$want" ]]; then
    echo "FAIL $what: docker $* exited $code_a on dockerd and $code_b on jstack, not $want:"
    diff <(echo "$a") <(echo "$b") | sed 's/^/     /'
    [[ "$a" != "$b" ]] || sed 's/^/     both: /' <<<"$a"
    failures=$((failures + 1))
  elif [[ -n $pattern ]] && ! { grep -Eq -- "$pattern" <<<"$a" && grep -Eq -- "$pattern" <<<"$b"; }; then
    echo "FAIL $what: docker $* did not say /$pattern/:"
    diff <(echo "$a") <(echo "$b") | sed 's/^/     /'
    [[ "$a" != "$b" ]] || sed 's/^/     both: /' <<<"$a"
    failures=$((failures + 1))
  elif [[ "$a" == "$b" ]]; then
    echo "ok   $what"
  else
    echo "DIFF $what: docker $*"
    diff <(echo "$a") <(echo "$b") | sed 's/^/     /'
    failures=$((failures + 1))
  fi
}

# check NAME ARGS...: succeeds on both engines, alike.
check() { compare 0 '' "$@"; }

# check_exit CODE NAME ARGS...: exits CODE (the container's own exit code) on both, alike.
check_exit() {
  local want=$1
  shift
  compare "$want" '' "$@"
}

# check_refused PATTERN NAME ARGS...: refused (exit 1) on both, for the reason PATTERN, alike.
check_refused() {
  local pattern=$1
  shift
  compare 1 "$pattern" "$@"
}

# both ARGS...: set-up for the checks that follow, on both engines; it must succeed.
both() {
  local h
  for h in "$dockerd_host" "$jstack_host"; do
    must env DOCKER_HOST="$h" docker "$@"
  done
}

# must COMMAND...: set-up that must succeed, or the checks after it would prove nothing.
must() {
  if ! "$@" >"$work/setup" 2>&1; then
    echo "FAIL set-up: $* failed:"
    sed 's/^/     /' "$work/setup"
    exit 1
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

check_exit 3 run-rm run --rm --network host "$image" sh -c 'echo out; echo err >&2; exit 3'
check_exit 4 run-default-network run --rm "$image" sh -c 'ip -o -4 route | grep -c default; exit 4'
printf 'one\ntwo\n' >"$work/lines"
STDIN_FILE="$work/lines" check run-stdin run -i --rm "$image" wc -l
check run-rm-gone ps -a --filter "name=^/$name-run$" --format '{{.Names}}'
check_exit 5 run-named run --name "$name-run" --network host "$image" sh -c 'echo one; echo two; exit 5'
check ps-a ps -a --filter "name=^/$name-run$" --format '{{.Names}} {{.Image}} {{.Command}} {{.Status}}'
check inspect-exited inspect -f '{{.Name}} {{.State.Status}} {{.State.Running}} {{.State.ExitCode}} {{.Config.Image}} {{.HostConfig.NetworkMode}}' "$name-run"
check logs logs "$name-run"

both run -d --name "$name-d" --network host "$image" \
  sh -c 'for i in 1 2 3; do echo line $i; sleep 0.3; done'
check logs-f logs -f "$name-d"
check wait wait "$name-d"

both run -d --name "$name-x" --network host -e FROM_RUN=yes "$image" sleep 600
check inspect-running inspect -f '{{.State.Status}} {{.State.Running}} {{.Config.Cmd}}' "$name-x"
check_exit 4 exec exec -e EXTRA=1 -w /tmp "$name-x" sh -c 'echo $FROM_RUN $EXTRA; pwd; echo to-err >&2; exit 4'
check exec-user exec -u nobody "$name-x" id
printf 'piped\ninput\n' >"$work/in"
STDIN_FILE="$work/in" check exec-stdin exec -i "$name-x" sh -c 'cat; wc -l </dev/null'
check_refused 'No such container' exec-missing exec "$name-x-missing" true
check stop stop -t 1 "$name-x"
check inspect-stopped inspect -f '{{.State.Running}} {{.State.Status}}' "$name-x"
check rm-f rm -f "$name-x" "$name-run" "$name-d"
check_refused 'No such (object|container)' rm-gone inspect "$name-x"

# docker cp asks what the path is first (HEAD .../archive, X-Docker-Container-Path-Stat).
both run -d --name "$name-cp" --network host "$image" sleep 600
printf 'copied\n' >"$work/cp.txt"
chmod 751 "$work/cp.txt"
check cp-in cp "$work/cp.txt" "$name-cp:/tmp/cp.txt"
check cp-in-dir cp "$work/cp.txt" "$name-cp:/tmp"
check cp-in-stat exec "$name-cp" stat -c '%a %s %n' /tmp/cp.txt
check_refused 'No such container:path|Could not find the file' cp-missing \
  cp "$name-cp:/tmp/nothing" "$work/nothing"
check rm-cp rm -f "$name-cp"

check volume-create volume create "$volume"
check volume-ls volume ls --filter "name=$volume" --format '{{.Name}} {{.Driver}}'
check volume-rm volume rm "$volume"
check_refused '[Nn]o such volume' volume-rm-again volume rm "$volume"

both network create "$network"
check network-ls network ls --filter "name=$network" --format '{{.Name}} {{.Driver}} {{.Scope}}'
check network-run run --rm --network "$network" --name "$name-n" "$image" sh -c 'nslookup '"$name-n"' >/dev/null && echo resolved'
check network-rm network rm "$network"
check_refused "$network not found|No such network" network-rm-again network rm "$network"

must env DOCKER_HOST="$dockerd_host" docker tag "$image" "$loaded"
must env DOCKER_HOST="$dockerd_host" docker save -o "$work/image.tar" "$loaded"
must env DOCKER_HOST="$dockerd_host" docker rmi "$loaded"
check load load -i "$work/image.tar"
check loaded-id image inspect -f '{{.Id}}' "$loaded"
check history image history --no-trunc --format '{{.ID}} {{.CreatedBy}} {{.Size}} {{.Comment}}' "$loaded"

both run -d --name "$name-c" --network host "$image" sleep 600
check rename rename "$name-c" "$name-c2"
check renamed ps -a --filter "name=^/$name-c2$" --format '{{.Names}} {{.Image}}'
check_refused 'No such container' rename-gone rename "$name-c" "$name-c3"
both exec "$name-c2" sh -c 'echo changed > /changed.txt; rm /bin/vi'
both commit -m compat "$name-c2" "$committed"
check_exit 1 committed run --rm --network host "$committed" sh -c 'cat /changed.txt; ls /bin/vi 2>&1'
check committed-config image inspect -f '{{.Config.Cmd}} {{.Comment}} {{len .RootFS.Layers}}' "$committed"
check tag tag "$committed" "$committed-2"
check tagged image inspect -f '{{len .RepoTags}}' "$committed"
check rmi-tag rmi "$committed-2"
both save -o "$work/committed.tar" "$committed"
check rm-c rm -f "$name-c2"

if ((failures)); then
  echo "$failures docker command(s) failed or behave differently on the jstack engine"
  exit 1
fi
echo "all docker commands behave the same on the jstack engine and on dockerd"
