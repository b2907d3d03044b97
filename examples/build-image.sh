#!/usr/bin/env bash
# Builds the examples' image, jstack-examples/busybox:latest, from Debian's busybox-static: a
# root filesystem with busybox and its applets, a page under /www, and nothing else. No registry
# is needed. Usage: examples/build-image.sh [embedded|docker]   (default: embedded, jstack's own
# image store, loaded through `jstack image load` from an archive this script writes)
set -euo pipefail

image=jstack-examples/busybox:latest
engine=${1:-embedded}
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)

if [[ ! -x /bin/busybox ]] || ! file -L /bin/busybox 2>/dev/null | grep -q static; then
  if [[ $(id -u) -eq 0 ]]; then
    echo "build-image: installing Debian's busybox-static" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null
  else
    echo "build-image: needs Debian's busybox-static: sudo apt-get install -y busybox-static" >&2
    exit 1
  fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root"/{bin,www,tmp,etc,proc,sys,dev}
chmod 1777 "$root/tmp"
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
  [[ $applet == busybox ]] || ln -sf busybox "$root/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
cat >"$root/www/index.html" <<'HTML'
<!doctype html>
<title>hello from jstack</title>
<h1>hello from jstack</h1>
HTML
tar --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 -C "$root" -cf "$work/rootfs.tar" .

case $engine in
  docker)
    # The same content is not imported twice (each import would leave the old image dangling).
    digest=$(sha256sum "$work/rootfs.tar" | cut -c1-64)
    if [[ $(docker image inspect -f '{{index .Config.Labels "io.jstack.rootfs"}}' "$image" 2>/dev/null) == "$digest" ]]; then
      echo "$image is up to date on docker"
      exit 0
    fi
    old=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)
    docker import --change 'CMD ["sh"]' --change 'ENV PATH=/bin' --change "LABEL io.jstack.rootfs=$digest" \
      "$work/rootfs.tar" "$image" >/dev/null
    [[ -n $old ]] && docker rmi "$old" >/dev/null 2>&1 || true
    echo "built $image on docker"
    ;;
  embedded)
    # A `docker save` archive: the layer, its config and a manifest naming the image.
    layer=$(sha256sum "$work/rootfs.tar" | cut -c1-64)
    mkdir -p "$work/archive/$layer"
    cp "$work/rootfs.tar" "$work/archive/$layer/layer.tar"
    printf '{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z","config":{"Cmd":["sh"],"Env":["PATH=/bin"],"Labels":{"io.jstack.rootfs":"%s"}},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
      "$layer" "$layer" >"$work/config.json"
    config=$(sha256sum "$work/config.json" | cut -c1-64)
    cp "$work/config.json" "$work/archive/$config.json"
    printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]' "$config" "$image" "$layer" \
      >"$work/archive/manifest.json"
    tar -C "$work/archive" -cf "$work/image.tar" .
    "$repo/jstack" image load -i "$work/image.tar" >/dev/null
    echo "built $image for the embedded engine"
    ;;
  *)
    echo "build-image: unknown engine $engine (use embedded or docker)" >&2
    exit 2
    ;;
esac
