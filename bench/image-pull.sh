#!/usr/bin/env bash
# Benchmark: pulling a 200 MB, 5-layer image from Debian's docker-registry on 127.0.0.1.
# jstack's fetch-and-verify (every layer downloaded and its sha256 checked) against
# `skopeo copy docker://... dir:` (the same work), alternating, ROUNDS rounds (default 5);
# jstack's unpacking (after the last download ends) and its whole pull reported separately.
# Medians and the ratio. The image is built locally (incompressible data, docker build FROM scratch).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
rounds=${ROUNDS:-5}
work=$(mktemp -d)
registry_pid=
cleanup() {
  [[ -z $registry_pid ]] || kill "$registry_pid" 2>/dev/null || true
  docker rmi -f jstack-bench/big:1 >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 5099)
cat >"$work/registry.yml" <<YML
version: 0.1
log: {level: error}
storage:
  filesystem: {rootdirectory: $work/registry}
http: {addr: 127.0.0.1:$port}
YML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done

mkdir -p "$work/ctx"
for i in 1 2 3 4 5; do head -c 40M /dev/urandom >"$work/ctx/part$i"; done
printf 'FROM scratch\nCOPY part1 /p/1\nCOPY part2 /p/2\nCOPY part3 /p/3\nCOPY part4 /p/4\nCOPY part5 /p/5\n' >"$work/ctx/Dockerfile"
DOCKER_BUILDKIT=0 docker build -q -t jstack-bench/big:1 "$work/ctx" >/dev/null
docker save -o "$work/big.tar" jstack-bench/big:1
image="127.0.0.1:$port/bench/big:1"
skopeo --insecure-policy copy -q --dest-tls-verify=false "docker-archive:$work/big.tar" "docker://$image"
rm -f "$work/big.tar" "$work"/ctx/part*

"$root/jstack" --version >/dev/null # build the launcher first; not timed
ms() { local s e; s=$(date +%s%N); "$@" >"$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }; e=$(date +%s%N); echo $(((e - s) / 1000000)); }
median() { tr ' ' '\n' | sort -n | awk 'NF {a[++n]=$1} END {print a[int((n+1)/2)]}'; }

sk=() jf=() ju=() jt=()
for r in $(seq 1 "$rounds"); do
  rm -rf "$work/dir" "$work/store"
  sk+=("$(ms skopeo --insecure-policy copy -q --src-tls-verify=false "docker://$image" "dir:$work/dir")")
  total=$(ms "$root/jstack" --data-root "$work/store" --progress json image pull "$image")
  # The moment the last layer was downloaded and verified, and the end of the pull, from the
  # pull's own clock (so the JVM's start-up is not counted in either).
  fetched=$(grep '"Download complete"' "$work/out" | sed 's/.*"time_ms":\([0-9]*\).*/\1/' | sort -n | tail -n 1)
  ended=$(grep '"Digest: ' "$work/out" | sed 's/.*"time_ms":\([0-9]*\).*/\1/')
  [[ -n $fetched && -n $ended ]] || { echo "no timings in jstack's output" >&2; cat "$work/out" >&2; exit 1; }
  [[ $(ls "$work/store/images/layers/sha256" | wc -l) -eq 5 ]] || { echo "jstack did not unpack 5 layers" >&2; exit 1; }
  jf+=("$fetched")
  ju+=($((ended - fetched)))
  jt+=("$total")
done
s=$(echo "${sk[*]}" | median)
f=$(echo "${jf[*]}" | median)
u=$(echo "${ju[*]}" | median)
t=$(echo "${jt[*]}" | median)
echo "image-pull (200 MB, 5 layers, $rounds rounds): fetch+verify jstack ${f} ms  skopeo copy to dir: ${s} ms  ratio $(awk -v a="$f" -v b="$s" 'BEGIN {printf "%.2f", a / b}')"
echo "  jstack unpacking after the last download: ${u} ms; whole jstack image pull (process, JVM start included): ${t} ms"
echo "  skopeo: ${sk[*]} | jstack fetch: ${jf[*]} | unpack tail: ${ju[*]} | total: ${jt[*]}"
