#!/usr/bin/env bash
# Benchmarks of the embedded engine's bridge networking, in one run on this machine:
#  - published-port proxy throughput: 256 MiB from a container, read on the host through the
#    published port (127.0.0.1) and straight from the container's address; ROUNDS rounds
#    (default 5), medians, and the proxy's share of the direct throughput (target >= 50%);
#  - DNS queries per second for a service name, a bounded run from the host against the network's
#    gateway (bench/DnsQps.java: 20,000 queries, 32 in flight), counting only correct answers (the
#    right ID, NOERROR, the container's address); any other answer fails the bench.
# Everything is made in a temporary data root and removed at the end. Needs the launcher's JDK.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
source "$root/bench/lib.sh"
rounds=${ROUNDS:-5}
work=$(mktemp -d)
export JSTACK_DATA_ROOT=$work/data JSTACK_ENGINE_SOCKET=$work/engine.sock
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 19099)
cleanup() {
  "$root/jstack" --engine embedded -p benchnet -f "$work/compose.yaml" down -t 1 >/dev/null 2>&1 || true
  "$root/jstack" engine stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

"$root/examples/build-image.sh" embedded >/dev/null
cat >"$work/compose.yaml" <<YAML
services:
  source:
    image: jstack-examples/busybox:latest
    command: ["nc", "-ll", "-p", "9000", "-e", "dd", "if=/dev/zero", "bs=65536", "count=4096"]
    ports: ["127.0.0.1:$port:9000"]
YAML
"$root/jstack" --engine embedded -p benchnet -f "$work/compose.yaml" up -d --wait >/dev/null
say_runtime
inspect() { curl -s --unix-socket "$JSTACK_ENGINE_SOCKET" "http://engine/containers/benchnet-source-1/json"; }
address=$(inspect | sed -n 's/.*"IPAddress":"\([0-9.]*\)".*/\1/p' | head -n 1)
gateway=$(inspect | sed -n 's/.*"Gateway":"\([0-9.]*\)".*/\1/p' | head -n 1)
[[ -n $address && -n $gateway ]] || { echo "no address for the container" >&2; exit 1; }

bytes=$((65536 * 4096))
# read_all HOST PORT: reads the whole stream from HOST:PORT (bash's /dev/tcp); fails unless it is
# all there.
read_all() {
  local got
  got=$(exec 3<>"/dev/tcp/$1/$2"; cat <&3 | wc -c)
  [[ $got -eq $bytes ]] || { echo "read $got of $bytes bytes from $1:$2" >&2; return 1; }
}
proxied=() direct=()
for r in $(seq 1 "$rounds"); do
  timed proxied read_all 127.0.0.1 "$port"
  timed direct read_all "$address" 9000
done
p=$(median "${proxied[@]}") d=$(median "${direct[@]}")
mib=$((bytes / 1048576))
echo "published port, $mib MiB, $rounds rounds: through the proxy ${p} ms ($(awk -v b="$mib" -v t="$p" 'BEGIN {printf "%.0f", b / t * 1000}') MiB/s), direct ${d} ms ($(awk -v b="$mib" -v t="$d" 'BEGIN {printf "%.0f", b / t * 1000}') MiB/s), proxy/direct throughput $(awk -v p="$p" -v d="$d" 'BEGIN {printf "%.0f%%", d / p * 100}')"
echo "  proxy: ${proxied[*]} | direct: ${direct[*]}"

java "$root/bench/DnsQps.java" "$gateway" source "$address" 20000 32
