# What the benchmark scripts share (sourced, never run). A timed command runs in this shell, not in
# $(...) where set -e does not reach: its exit status is checked, and a failure stops the bench
# with the command's output instead of counting as a fast run. The caller sets $work.

# timed ARRAY COMMAND...: runs COMMAND (its output to $work/timed.out) and appends its wall time in
# milliseconds to the array named ARRAY; exits the bench if COMMAND fails.
timed() {
  local -n into=$1
  shift
  local s e rc=0
  s=$(date +%s%N)
  "$@" >"$work/timed.out" 2>&1 || rc=$?
  e=$(date +%s%N)
  if ((rc != 0)); then
    echo "bench: '$*' failed (exit $rc); its output:" >&2
    tail -n 30 "$work/timed.out" >&2
    exit 1
  fi
  into+=($(((e - s) / 1000000)))
}

# verify WHAT COMMAND...: the effect of what was timed; exits the bench, saying WHAT, unless
# COMMAND succeeds.
verify() {
  local what=$1
  shift
  if ! "$@"; then
    echo "bench: $what" >&2
    exit 1
  fi
}

# median NUMBER...: the median (the lower middle one of an even count).
median() {
  printf '%s\n' "$@" | sort -n | awk 'NF {a[++n]=$1} END {print a[int((n+1)/2)]}'
}

# ratio A B: A / B with two decimals.
ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'
}

# remove DIR: DIR and everything in it, what is mounted below it first (containers/storage mounts
# its overlay home, a container its root).
remove() {
  local m
  for m in $(awk -v d="$1" '$2 == d || index($2, d "/") == 1 {print $2}' /proc/mounts | sort -r); do
    umount "$m"
  done
  rm -rf "$1"
}

# stop_engine: stops the jstack engine of $JSTACK_ENGINE_SOCKET (under $root), after removing its
# networks through its API: they (bridges, firewall rules) outlive the engine, as Docker's do.
stop_engine() {
  local n
  for n in $(curl -sf --unix-socket "$JSTACK_ENGINE_SOCKET" http://engine/networks 2>/dev/null |
    python3 -c 'import json, sys; [print(n["Id"]) for n in json.load(sys.stdin)]' 2>/dev/null); do
    curl -sf --unix-socket "$JSTACK_ENGINE_SOCKET" -X DELETE "http://engine/networks/$n" >/dev/null
  done
  "$root/jstack" engine stop >/dev/null 2>&1
}

# say_runtime: prints which OCI runtime runs the containers being timed, and why: the jstack
# engine's of $JSTACK_ENGINE_SOCKET (its `engine status`) when that is set and one answers, and
# dockerd's (its /info) when dockerd answers. Figures of different runtimes are not comparable.
say_runtime() {
  local line=
  if [[ -n ${JSTACK_ENGINE_SOCKET:-} ]]; then
    line=$("$root/jstack" engine status 2>/dev/null | sed -n 's/^runtime: //p' || true)
  fi
  [[ -z $line ]] || echo "runtime: jstack engine: $line"
  line=$(docker info -f '{{.DefaultRuntime}}' 2>/dev/null || true)
  [[ -z $line ]] || echo "runtime: dockerd: $line"
}

# busybox_into_engine: builds the launcher when its sources changed and puts the local busybox test
# image (built for dockerd by examples/build-image.sh) into the store of the jstack engine of
# $JSTACK_DATA_ROOT; not timed.
busybox_into_engine() {
  "$root/examples/build-image.sh" docker >/dev/null
  "$root/jstack" --version >/dev/null
  docker save jstack-examples/busybox:latest | "$root/jstack" image load >/dev/null
}

# engine_api PATH: GET PATH from the jstack engine of $JSTACK_ENGINE_SOCKET.
engine_api() { curl -sf --unix-socket "$JSTACK_ENGINE_SOCKET" "http://engine$1"; }

# engine_running N: that engine has exactly N containers, all running.
engine_running() {
  local all up
  all=$(engine_api '/containers/json?all=1' | grep -o '"Id"' | wc -l)
  up=$(engine_api '/containers/json' | grep -o '"Id"' | wc -l)
  [[ $all -eq $1 && $up -eq $1 ]] || { echo "the engine has $up of $all containers running, not $1" >&2; return 1; }
}

# engine_nothing_left PROJECT: no container, and no network of PROJECT, on that engine.
engine_nothing_left() {
  engine_running 0 && ! engine_api /networks | grep -q "$1"
}
