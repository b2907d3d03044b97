#!/usr/bin/env bash
# Benchmark: how `up -d` and `down` grow with the number of services on jstack's embedded engine:
# 10, 50 and 200 independent services (busybox `sleep` under init), on the host network
# (NETWORK_MODES includes host) and all on one bridge network (bridge, Compose's default network);
# whole process (the CLI with its engine already running), ROUNDS rounds (default 3) per size,
# medians; a table of up and down time per service at each size, the ratio of the per-service time
# at 200 to that at 10, and the engine's resident memory (VmRSS) with 200 containers running, with
# conmon's summed over the 200. Every `up` is checked by its effect (all containers running), every
# `down` too (no container, no project network). Target (issue 20): per-service time at 200 at most
# 1.25x that at 10. Root; dockerd running (for the image). The engine runs from a temporary data
# root, removed at the end with everything it made, also on failure.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
source "$root/bench/lib.sh"
rounds=${ROUNDS:-3}
sizes=(${SIZES:-10 50 200})
modes=(${NETWORK_MODES:-host bridge})
work=$(mktemp -d)
project=benchgrowth$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')
export JSTACK_DATA_ROOT=$work/data JSTACK_ENGINE_SOCKET=$work/engine.sock
cleanup() {
  (cd "$work/$project" 2>/dev/null && "$root/jstack" --engine embedded down -t 0 >/dev/null 2>&1) || true
  stop_engine || true
  remove "$work"
}
trap cleanup EXIT

busybox_into_engine
mkdir -p "$work/$project"
cd "$work/$project"
"$root/jstack" engine start >/dev/null
say_runtime
engine_pid=$("$root/jstack" engine status | sed -n 's/.*(pid \([0-9]*\)).*/\1/p' | head -n 1)
[[ -n $engine_pid ]] || { echo "bench: no pid in jstack engine status" >&2; exit 1; }

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

declare -A up_ms down_ms
rss_line=
for mode in "${modes[@]}"; do
  for n in "${sizes[@]}"; do
    {
      echo "services:"
      for i in $(seq 1 "$n"); do
        printf '  s%d:\n    image: jstack-examples/busybox:latest\n    command: ["sleep", "3600"]\n    init: true\n' "$i"
        [[ $mode == bridge ]] || printf '    network_mode: host\n'
      done
    } >docker-compose.yml
    ups=() downs=()
    for r in $(seq 1 "$rounds"); do
      timed ups "$root/jstack" --engine embedded up -d
      verify "up of $n services ($mode) did not leave $n containers running" engine_running "$n"
      if [[ $n -eq 200 && $r -eq 1 ]]; then
        conmons=0
        for c in $(pgrep -x conmon); do
          [[ $(tr '\0' ' ' <"/proc/$c/cmdline") == *"$JSTACK_DATA_ROOT"* ]] && conmons=$((conmons + $(rss_kib "$c")))
        done
        rss_line+="  $mode, 200 containers running: engine VmRSS $(($(rss_kib "$engine_pid") / 1024)) MiB; conmon VmRSS summed $((conmons / 1024)) MiB"$'\n'
      fi
      timed downs "$root/jstack" --engine embedded down -t 1
      verify "down of $n services ($mode) left containers or the network" engine_nothing_left "$project"
    done
    up_ms[$mode-$n]=$(median "${ups[@]}")
    down_ms[$mode-$n]=$(median "${downs[@]}")
    echo "  $mode $n: up ${ups[*]} | down ${downs[*]}"
  done
done

echo "growth, $rounds rounds, medians (per service in brackets):"
printf '%-8s %8s %10s %14s %10s %14s\n' network services "up ms" "(ms/service)" "down ms" "(ms/service)"
for mode in "${modes[@]}"; do
  for n in "${sizes[@]}"; do
    u=${up_ms[$mode-$n]} d=${down_ms[$mode-$n]}
    printf '%-8s %8s %10s %14s %10s %14s\n' "$mode" "$n" "$u" "$(ratio "$u" "$n")" "$d" "$(ratio "$d" "$n")"
  done
  first=${sizes[0]} last=${sizes[${#sizes[@]} - 1]}
  up_growth=$(awk -v a="${up_ms[$mode-$last]}" -v na="$last" -v b="${up_ms[$mode-$first]}" -v nb="$first" 'BEGIN {printf "%.2f", (a / na) / (b / nb)}')
  down_growth=$(awk -v a="${down_ms[$mode-$last]}" -v na="$last" -v b="${down_ms[$mode-$first]}" -v nb="$first" 'BEGIN {printf "%.2f", (a / na) / (b / nb)}')
  echo "  $mode: per-service time at $last / at $first: up $up_growth, down $down_growth (target <= 1.25)"
done
printf '%s' "$rss_line"
