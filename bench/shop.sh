#!/usr/bin/env bash
# Benchmark (reported, no target): examples/shop from `up` until every service is healthy (db,
# cache, two app replicas, proxy), images already built, on empty volumes: jstack on its embedded
# engine (`up -d --wait`, the engine already running, as dockerd is) vs Debian's docker-compose 1.29
# on dockerd (`up -d`, then polling until all five containers are healthy: it has no --wait),
# alternating, ROUNDS rounds (default 5); medians and their ratio. Each `up` is checked by its
# effect (five healthy containers, an order through nginx), each round ends with `down -v`.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
source "$root/bench/lib.sh"
rounds=${ROUNDS:-5}
port=${SHOP_PORT:-18081}
export SHOP_PORT=$port
work=$(mktemp -d)
compose=$root/examples/shop/compose.yaml
id=$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')
jp=benchshopj$id cp=benchshopc$id
export JSTACK_DATA_ROOT=$work/data JSTACK_ENGINE_SOCKET=$work/engine.sock
J=("$root/jstack" --engine embedded -p "$jp" -f "$compose")
C=(docker-compose -p "$cp" -f "$compose")
cleanup() {
  "${J[@]}" down -v -t 1 >/dev/null 2>&1 || true
  stop_engine || true
  "${C[@]}" down -v -t 1 >/dev/null 2>&1 || true
  remove "$work"
}
trap cleanup EXIT

# Not timed: the base image and the services' images on both engines, and the app's jar.
if [[ ! -s $root/examples/shop/app/target/shop-app.jar ]]; then
  (cd "$root" && mvn -B -q -pl examples -am package -DskipTests -Dspotless.check.skip=true >/dev/null)
fi
"$root/examples/shop/base/image.sh" embedded
"$root/examples/shop/base/image.sh" docker
"${J[@]}" build >/dev/null
say_runtime
"${C[@]}" build -q >/dev/null 2>&1

healthy() { # healthy ENGINE-PROJECT DOCKER-ARGS...: five containers of the project, all healthy
  local p=$1
  shift
  [[ $(docker "$@" ps --filter "label=com.docker.compose.project=$p" --format '{{.Status}}' | grep -c '(healthy)') -eq 5 ]]
}
compose_up() { # docker-compose up -d, then wait until all five are healthy (at most 5 minutes)
  "${C[@]}" up -d
  local deadline=$((SECONDS + 300))
  until healthy "$cp"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}
ordered() { # an order through nginx is made (201) by one of the app's replicas
  curl -sf -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -d '{"item":"bench","quantity":1}' "http://127.0.0.1:$port/orders" | grep -q 201
}
jup=() cup=()
for r in $(seq 1 "$rounds"); do
  timed jup "${J[@]}" up -d --wait
  verify "jstack up did not leave five healthy containers" healthy "$jp" -H "unix://$JSTACK_ENGINE_SOCKET"
  verify "no order through nginx on jstack" ordered
  "${J[@]}" down -v >/dev/null 2>&1
  timed cup compose_up
  verify "no order through nginx on dockerd" ordered
  "${C[@]}" down -v >/dev/null 2>&1
done
ju=$(median "${jup[@]}") cu=$(median "${cup[@]}")
echo "examples/shop up to healthy, images built, $rounds rounds: jstack embedded ${ju} ms  docker-compose+dockerd ${cu} ms  ratio (docker-compose / jstack) $(ratio "$cu" "$ju")"
echo "  jstack: ${jup[*]}"
echo "  docker-compose: ${cup[*]}"
