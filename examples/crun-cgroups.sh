# Sourced by .ci/setup (which applies it) and examples/engine-needs.sh (which only suggests it).
# crun, the faster OCI runtime, refuses a hybrid cgroup host while a controller is left on the cgroup
# v2 hierarchy ("cgroups in hybrid mode not supported, drop all controllers from cgroupv2"; on Debian
# 12 that is hugetlb): mounted as a v1 hierarchy of its own, the controller leaves v2 and crun runs.
# Until then jstack's engine uses runc and says why.

# crun_cgroup_fix: prints the commands (one a line) that move each controller still on cgroup v2 to a
# v1 hierarchy of its own; nothing on a pure v1 or pure v2 host, or once done.
crun_cgroup_fix() {
  local unified=/sys/fs/cgroup/unified c
  [[ -r $unified/cgroup.controllers ]] || return 0
  for c in $(cat "$unified/cgroup.controllers"); do
    echo "mkdir -p /sys/fs/cgroup/$c && mount -t cgroup -o $c cgroup /sys/fs/cgroup/$c"
  done
}
