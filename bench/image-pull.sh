#!/usr/bin/env bash
# Benchmark: pulling a 200 MB, 5-layer image from Debian's docker-registry on 127.0.0.1, whole
# process against whole process and the same work on both sides (download, check every blob's
# digest, unpack the layers into a store for overlayfs): `jstack image pull` (JVM start included)
# against `skopeo copy docker://... containers-storage:` (containers/storage's overlay driver,
# Podman's store), alternating, ROUNDS rounds (default 5); medians and the ratio. For information
# only, with no ratio: `skopeo copy ... dir:` (download and check, no unpacking; whole process), and
# jstack's own phases by its own clock (inside the process, no JVM start), which no peer reports.
# Every timed command must succeed and leave the whole image in its store. The image is built
# locally (incompressible data, docker build FROM scratch).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
source "$root/bench/lib.sh"
rounds=${ROUNDS:-5}
work=$(mktemp -d)
registry_pid=
cleanup() {
  [[ -z $registry_pid ]] || kill "$registry_pid" 2>/dev/null || true
  docker rmi -f jstack-bench/big:1 >/dev/null 2>&1 || true
  remove "$work"
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
storage="containers-storage:[overlay@$work/cs/root+$work/cs/run]bench/big:1"
# layers_in_storage: the whole image is in containers/storage, its 5 layers with it.
layers_in_storage() {
  local n
  n=$(skopeo inspect "$storage" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["Layers"]))')
  [[ $n -eq 5 ]] || { echo "containers-storage holds $n layers of 5" >&2; return 1; }
}
# layers_in_jstack: jstack's store has the image tagged and its 5 layers unpacked.
layers_in_jstack() {
  "$root/jstack" --data-root "$work/store" image inspect "$image" >/dev/null &&
    [[ $(ls "$work/store/images/layers/sha256" | wc -l) -eq 5 ]]
}
# layers_in_dir: skopeo's dir: copy has the manifest and the 5 layers (and the config).
layers_in_dir() { [[ -f $work/dir/manifest.json && $(ls "$work/dir" | grep -c '^[0-9a-f]\{64\}$') -eq 6 ]]; }

jt=() st=() sd=() jf=() ju=() jvm=()
for r in $(seq 1 "$rounds"); do
  remove "$work/store"
  remove "$work/cs"
  remove "$work/dir"
  timed jt "$root/jstack" --data-root "$work/store" --progress json image pull "$image"
  verify "jstack's store does not hold the whole image" layers_in_jstack
  # The moment the last layer was downloaded and verified, and the end of the pull, by the pull's
  # own clock (inside the process: no JVM start-up in either).
  fetched=$(grep '"Download complete"' "$work/timed.out" | sed 's/.*"time_ms":\([0-9]*\).*/\1/' | sort -n | tail -n 1)
  ended=$(grep '"Digest: ' "$work/timed.out" | sed 's/.*"time_ms":\([0-9]*\).*/\1/')
  [[ -n $fetched && -n $ended ]] || { echo "no timings in jstack's output" >&2; cat "$work/timed.out" >&2; exit 1; }
  jf+=("$fetched")
  ju+=($((ended - fetched)))
  timed st skopeo --insecure-policy copy -q --src-tls-verify=false "docker://$image" "$storage"
  verify "containers-storage does not hold the whole image" layers_in_storage
  timed sd skopeo --insecure-policy copy -q --src-tls-verify=false "docker://$image" "dir:$work/dir"
  verify "skopeo's dir: copy is not whole" layers_in_dir
  timed jvm "$root/jstack" --version
done
t=$(median "${jt[@]}") s=$(median "${st[@]}") d=$(median "${sd[@]}")
echo "image-pull (200 MB, 5 layers, $rounds rounds), whole process vs whole process, download + verify + unpack into a store: jstack image pull ${t} ms  skopeo copy to containers-storage (overlay) ${s} ms  ratio $(ratio "$t" "$s")"
echo "  for information, no ratio: skopeo copy to dir: (download + verify, no unpacking; whole process) ${d} ms; inside the jstack process (its own clock, no JVM start): download + verify $(median "${jf[@]}") ms, then unpacking $(median "${ju[@]}") ms; jstack --version (JVM start-up) $(median "${jvm[@]}") ms"
echo "  jstack: ${jt[*]} | skopeo containers-storage: ${st[*]} | skopeo dir: ${sd[*]} | jstack in-process download: ${jf[*]} | unpack: ${ju[*]}"
