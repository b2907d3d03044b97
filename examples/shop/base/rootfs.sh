#!/usr/bin/env bash
# Makes the root filesystem of examples/shop's base image: Debian 12 (bookworm) from debootstrap,
# variant minbase, with every package the shop's services need installed on the host side (no
# container downloads anything). The result is cached outside the checkout, keyed by the package
# list, under ${JSTACK_EXAMPLES_CACHE:-/var/cache/jstack-examples}/shop-base-<key>/: a rootfs.tar
# and the Dockerfile that makes the image from it the way official Debian images are made
# (FROM scratch + ADD rootfs.tar /). Prints that directory. The mirror is the host's own (its APT
# sources). Needs root (debootstrap); installs debootstrap with apt-get if it is missing.
# Usage: examples/shop/base/rootfs.sh
set -euo pipefail
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
  exit 0
fi

suite=bookworm
packages=(
  postgresql redis-server nginx-light openjdk-17-jre-headless
  # what the services' scripts and healthchecks use
  procps netcat-openbsd
)
# The recipe's version: bump it when the steps below change what goes into the tarball.
recipe=1

cache=${JSTACK_EXAMPLES_CACHE:-/var/cache/jstack-examples}
key=$(printf '%s\n' "$suite" "$recipe" "${packages[@]}" | sha256sum | cut -c1-16)
out="$cache/shop-base-$key"
if [[ -s $out/rootfs.tar && -s $out/Dockerfile ]]; then
  echo "$out"
  exit 0
fi

say() { echo "shop-base: $*" >&2; }
if [[ $(id -u) -ne 0 ]]; then
  say "making the Debian root filesystem needs root (debootstrap): run as root, or sudo $0"
  exit 1
fi
if ! command -v debootstrap >/dev/null 2>&1 && [[ ! -x /usr/sbin/debootstrap ]]; then
  say "installing debootstrap (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

# The host's mirror: the first Debian URI of its APT sources (deb822 or one-line form).
mirror=$(
  {
    sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null
    sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]\+\).*/\2/p' \
      /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null
  } | tr ' ' '\n' | grep -v -- '-security' | grep -m1 '^https\?://' || true
)
mirror=${mirror:-http://deb.debian.org/debian}

mkdir -p "$cache"
# One maker at a time (a test and CI's set-up may ask together); the second finds it made.
exec 9>"$cache/.shop-base.lock"
flock 9
if [[ -s $out/rootfs.tar && -s $out/Dockerfile ]]; then
  echo "$out"
  exit 0
fi
work=$(mktemp -d "$cache/.shop-base-XXXXXX")
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
say "debootstrap $suite from $mirror (about a minute; cached in $out)"
include=$(IFS=,; echo "${packages[*]}")
if ! debootstrap --variant=minbase --include="$include" "$suite" "$root" "$mirror" \
  >"$work/debootstrap.log" 2>&1; then
  say "debootstrap failed (log below); check the host's APT sources reach $mirror"
  tail -20 "$work/debootstrap.log" >&2
  exit 1
fi

# What an image does not carry: the host's resolver and name, device nodes (the runtime makes
# /dev), package caches and lists, documentation; and the cluster the postgresql package made
# (each container initialises its own data directory).
rm -rf "$root"/dev/* "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* \
  "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
  "$root"/etc/postgresql/*/main "$root"/var/lib/postgresql/*/main "$root"/var/log/*.log \
  "$root"/tmp/* "$root"/var/tmp/*
: >"$root/etc/resolv.conf"
echo localhost >"$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n' >"$root/etc/hosts"

tar --numeric-owner --xattrs --sort=name -C "$root" -cf "$work/rootfs.tar" .
cat >"$work/Dockerfile" <<DOCKERFILE
# Debian 12 with the shop's packages, from debootstrap on the host (examples/shop/base/rootfs.sh).
FROM scratch
ADD rootfs.tar /
LABEL io.jstack.examples.shop-base="$key"
ENV LANG=C.UTF-8
CMD ["bash"]
DOCKERFILE
rm -rf "$root"
mv -T "$work" "$out"
trap - EXIT
say "made $out ($(du -sh "$out/rootfs.tar" | cut -f1))"
echo "$out"
