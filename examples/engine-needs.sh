# Sourced by the examples' `up` scripts: installs what jstack's embedded engine needs on a fresh
# Debian machine (as root, with apt-get, after saying so; otherwise it stops with the exact
# command). $1 names the example in messages. On a hybrid cgroup host where crun refuses to run, it
# suggests the change that lets it (the engine uses runc meanwhile); it does not make it.
have() { command -v "$1" >/dev/null 2>&1 || [[ -x /usr/sbin/$1 || -x /sbin/$1 ]]; }
need=()
have runc || need+=(runc)
have conmon || need+=(conmon)
have catatonit || need+=(catatonit)
have iptables || need+=(iptables)
have ip || need+=(iproute2)
have setsid || need+=(util-linux)
have file || need+=(file)
if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "$1: the embedded engine needs ${need[*]}: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  echo "$1: installing ${need[*]} (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

. "$(dirname "${BASH_SOURCE[0]}")/crun-cgroups.sh"
fix=$(crun_cgroup_fix)
if [[ -n $fix ]] && have crun; then
  echo "$1: the engine runs containers with runc here: crun, which is faster, refuses this hybrid cgroup host. To let it run (until the next reboot), as root:" >&2
  sed 's/^/  /' <<<"$fix" >&2
fi
