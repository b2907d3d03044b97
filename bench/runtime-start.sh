#!/usr/bin/env bash
# Benchmark: create-to-running of one container through the jstack engine's API (POST create, then
# POST start; the container, `sleep 60` with network none, is checked running and removed, not
# timed) against the floor under it, a bare `<runtime> run` of /bin/true (create, start, wait, delete
# of a static busybox in a minimal bundle, the runtime's state on a tmpfs), for each OCI runtime
# installed (crun, runc), with the engine's run-time state on its tmpfs (the default) and on disk
# (what every engine did before); all in one run, alternating (the order rotates each round), ROUNDS
# rounds (default 9, after 2 warm-ups); medians, ratios engine/bare, and the tmpfs effect (disk
# minus tmpfs). Target (issue 20): the engine with crun at most 1.5x a bare `crun run`. Also, what
# the floor would be without conmon: a long-running process started by `run --detach`, and by
# `create` then `start`, to running.
# Root; dockerd running (for the image); a runtime that cannot run here (crun on a hybrid cgroup host
# before .ci/setup) stops the bench with its message. Engines run from temporary data roots.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
source "$root/bench/lib.sh"
rounds=${ROUNDS:-9}
work=$(mktemp -d)
runtimes=()
for r in crun runc; do
  command -v "$r" >/dev/null 2>&1 && runtimes+=("$r")
done
((${#runtimes[@]})) || { echo "bench: neither crun nor runc is installed" >&2; exit 1; }

# as ENGINE CMD...: CMD with the environment of engine ENGINE (runtime-mode, e.g. crun-tmpfs).
as() {
  local e=$1
  shift
  JSTACK_RUNTIME=${e%-*} JSTACK_DATA_ROOT=$work/$e/data JSTACK_ENGINE_SOCKET=$work/$e/engine.sock "$@"
}
engines=()
cleanup() {
  for e in "${engines[@]}"; do
    as "$e" stop_engine || true
  done
  # Whatever a failed round left running in the bare runtimes' state.
  for r in "${runtimes[@]}"; do
    [[ -d $work/bare/state ]] || continue
    for c in $("$r" --root "$work/bare/state" list -q 2>/dev/null); do
      "$r" --root "$work/bare/state" delete --force "$c" >/dev/null 2>&1 || true
    done
  done
  remove "$work"
}
trap cleanup EXIT

"$root/examples/build-image.sh" docker >/dev/null
"$root/jstack" --version >/dev/null # build the launcher first; not timed
docker save -o "$work/busybox.tar" jstack-examples/busybox:latest
printf 'services:\n  idle:\n    image: jstack-examples/busybox:latest\n' >"$work/compose.yaml"
for r in "${runtimes[@]}"; do
  for mode in tmpfs disk; do
    e=$r-$mode
    engines+=("$e")
    if [[ $mode == disk ]]; then
      # A run-time directory with files on disk is one the engine leaves as it is (state of an
      # engine from before the tmpfs): it mounts nothing there.
      mkdir -p "$work/$e/data/run"
      echo "run-time state on disk, for the bench" >"$work/$e/data/run/on-disk"
    fi
    as "$e" "$root/jstack" image load -i "$work/busybox.tar" >/dev/null
    as "$e" "$root/jstack" --engine embedded -f "$work/compose.yaml" ps >/dev/null # starts it
    fs=$(stat -f -c %T "$work/$e/data/run")
    [[ ($mode == tmpfs && $fs == tmpfs) || ($mode == disk && $fs != tmpfs) ]] ||
      { echo "bench: engine $e has its run-time state on $fs" >&2; exit 1; }
    echo "$e: $(as "$e" say_runtime | sed -n 's/^runtime: jstack engine: //p'); run-time state on $fs"
  done
done
say_runtime | grep dockerd || true

# The bare bundle: a static busybox as /bin/true, the runtime's default spec (crun spec) running it.
bare=$work/bare
mkdir -p "$bare/rootfs/bin" "$bare/rootfs/proc" "$bare/rootfs/dev" "$bare/rootfs/sys" "$bare/state"
cp "$(readlink -f /bin/busybox)" "$bare/rootfs/bin/busybox"
file -L "$bare/rootfs/bin/busybox" | grep -q 'statically linked' ||
  { echo "bench: /bin/busybox is not static: apt-get install -y busybox-static" >&2; exit 1; }
ln -s busybox "$bare/rootfs/bin/true"
(cd "$bare" && crun spec 2>/dev/null || runc spec)
python3 - "$bare/config.json" <<'EOF'
import json, sys
p = sys.argv[1]
spec = json.load(open(p))
spec["process"]["args"] = ["/bin/true"]
spec["process"]["terminal"] = False
spec["root"] = {"path": "rootfs", "readonly": True}
json.dump(spec, open(p, "w"))
EOF
mount -t tmpfs -o mode=0700 tmpfs "$bare/state"
# What a start without conmon would cost (the floor's parts, not timed by the target): the same root
# running `sleep 60`, started detached by one runtime process (`run --detach`), and by two (`create`,
# then `start`, as the engine does under conmon); each measured to running, removed untimed.
held=$work/held
mkdir -p "$held"
python3 - "$bare/config.json" "$held/config.json" "$bare/rootfs" <<'EOF2'
import json, sys
spec = json.load(open(sys.argv[1]))
spec["process"]["args"] = ["/bin/busybox", "sleep", "60"]
spec["root"] = {"path": sys.argv[3], "readonly": True}
json.dump(spec, open(sys.argv[2], "w"))
EOF2

WORK=$work ROUNDS=$rounds ENGINES="${engines[*]}" RUNTIMES="${runtimes[*]}" python3 - <<'EOF'
import http.client, json, os, socket, statistics, subprocess, time

work, rounds = os.environ["WORK"], int(os.environ["ROUNDS"])
engines, runtimes = os.environ["ENGINES"].split(), os.environ["RUNTIMES"].split()

class Unix(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("engine")
        self.path = path
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)

def call(engine, method, path, body=None, want=None):
    c = Unix(f"{work}/{engine}/engine.sock")
    c.request(method, "/v1.41" + path, body=json.dumps(body) if body is not None else None,
              headers={"Content-Type": "application/json"})
    r = c.getresponse()
    data = r.read()
    c.close()
    if want is not None and r.status != want:
        raise SystemExit(f"bench: {method} {path} on {engine}: {r.status} {data[:300]!r}")
    return json.loads(data) if data.strip() else None

def engine_start(engine, n):
    name = f"rt-bench-{n}"
    t0 = time.perf_counter()
    cid = call(engine, "POST", f"/containers/create?name={name}",
               {"Image": "jstack-examples/busybox:latest", "Cmd": ["sleep", "60"],
                "HostConfig": {"NetworkMode": "none"}}, 201)["Id"]
    call(engine, "POST", f"/containers/{cid}/start", None, 204)
    took = time.perf_counter() - t0
    if not call(engine, "GET", f"/containers/{cid}/json", None, 200)["State"]["Running"]:
        raise SystemExit(f"bench: {name} is not running on {engine}")
    call(engine, "DELETE", f"/containers/{cid}?force=1", None, 204)
    return took

def bare_run(runtime, n):
    t0 = time.perf_counter()
    r = subprocess.run([runtime, "--root", f"{work}/bare/state", "run", "--bundle", f"{work}/bare",
                        f"rt-bench-{runtime}-{n}"], stdin=subprocess.DEVNULL, capture_output=True)
    took = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"bench: {runtime} run failed: {(r.stdout + r.stderr).decode().strip()}")
    return took

def held(runtime, n, how):
    rt = [runtime, "--root", f"{work}/bare/state"]
    name = f"rt-held-{runtime}-{how}-{n}"
    # Its messages to a file: a pipe would stay open in the detached process, and reading it to
    # its end would wait for the container to end.
    log = open(f"{work}/held/{name}.log", "w+b")
    quiet = dict(stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log)
    t0 = time.perf_counter()
    if how == "detached":
        r = subprocess.run(rt + ["run", "--detach", "--bundle", f"{work}/held", name], **quiet)
    else:
        r = subprocess.run(rt + ["create", "--bundle", f"{work}/held", name], **quiet)
        if r.returncode == 0:
            r = subprocess.run(rt + ["start", name], **quiet)
    took = time.perf_counter() - t0
    log.seek(0)
    said = log.read().decode().strip()
    log.close()
    if r.returncode != 0:
        raise SystemExit(f"bench: {runtime} {how} failed: {said}")
    state = json.loads(subprocess.run(rt + ["state", name], capture_output=True).stdout)
    if state["status"] != "running":
        raise SystemExit(f"bench: {name} is {state['status']}, not running")
    subprocess.run(rt + ["delete", "--force", name], capture_output=True)
    return took

sides = ([("engine", e) for e in engines] + [("bare", r) for r in runtimes]
         + [(how, r) for r in runtimes for how in ("detached", "create+start")])
times = {s: [] for s in sides}
for i in range(-2, rounds):
    for k in range(len(sides)):
        kind, what = sides[(i + k) % len(sides)]
        if kind == "engine":
            t = engine_start(what, i + 2)
        elif kind == "bare":
            t = bare_run(what, i + 2)
        else:
            t = held(what, i + 2, kind)
        if i >= 0:
            times[(kind, what)].append(t * 1000)

med = {s: statistics.median(v) for s, v in times.items()}
print(f"create-to-running, {rounds} rounds, medians (ms):")
for r in runtimes:
    bare = med[("bare", r)]
    tm, dk = med[("engine", f"{r}-tmpfs")], med[("engine", f"{r}-disk")]
    print(f"  {r}: engine API, state on tmpfs {tm:.1f}; state on disk {dk:.1f}; bare `{r} run` of"
          f" /bin/true {bare:.1f}; ratio engine(tmpfs)/bare {tm / bare:.2f}"
          f"{' (target <= 1.5)' if r == 'crun' else ''}; tmpfs saves {dk - tm:.1f} ms")
print("  without conmon (what the engine's start path would cost without it; not the target):")
for r in runtimes:
    bare = med[("bare", r)]
    d, cs = med[("detached", r)], med[("create+start", r)]
    print(f"  {r}: `{r} run --detach` to running {d:.1f} ({d / bare:.2f}x bare);"
          f" `{r} create` + `{r} start` {cs:.1f} ({cs / bare:.2f}x bare)")
for s, v in times.items():
    print(f"    {s[0]} {s[1]}: " + " ".join(f"{x:.0f}" for x in v))
EOF
