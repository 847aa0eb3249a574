#!/usr/bin/env bash
# Prints the path of an OCI layout holding a real Debian 12 (bookworm) image, tag "12": `debootstrap --variant=minbase`
# (88 packages; about 50 s from deb.debian.org, then about 30 s to pack with umoci), built once into a cache
# directory and reused by every later run, so the scanning stage costs CI time only the first time on a machine.
# Docs, man pages and locales are dropped (as slim images do); the dpkg status the scanner reads is untouched.
#
#   BERTH_IMAGE_CACHE  the cache directory (default /var/cache/berth-interop)
#   BOOKWORM_ROOTFS    an existing debootstrap tree to pack instead of bootstrapping one (it is left in place)
#   DEBIAN_MIRROR      the mirror (default http://deb.debian.org/debian)
#   BOOKWORM_INCLUDE   extra packages for debootstrap --include (comma separated; ci/jre-image.sh adds the JRE)
#   BOOKWORM_SETUP     a command run with the rootfs as its argument before packing (users, directories)
#   BOOKWORM_LAYOUT    the layout's directory name in the cache (default bookworm-oci)
#   BOOKWORM_TAG       the image's tag in the layout (default 12)
#
# Exits 3 when the image is neither cached nor buildable here (no debootstrap or umoci, not root, no mirror).
set -euo pipefail
cache=${BERTH_IMAGE_CACHE:-/var/cache/berth-interop}
layout=$cache/${BOOKWORM_LAYOUT:-bookworm-oci}
tag=${BOOKWORM_TAG:-12}
log=$cache/${BOOKWORM_LAYOUT:+$BOOKWORM_LAYOUT-}debootstrap.log
if [[ -f $layout/.complete ]]; then
  echo "$layout"
  exit 0
fi
command -v umoci >/dev/null || exit 3
mkdir -p "$cache" 2>/dev/null || exit 3
rootfs=${BOOKWORM_ROOTFS:-}
if [[ -z $rootfs ]]; then
  command -v debootstrap >/dev/null && [[ $(id -u) == 0 ]] || exit 3
  rootfs=$(mktemp -d "$cache/rootfs.XXXXXX")
  chmod 0755 "$rootfs" # mktemp's 0700 would become the image's /, which no user but root could then enter
  trap 'rm -rf "$rootfs"' EXIT
  start=$SECONDS
  debootstrap --variant=minbase ${BOOKWORM_INCLUDE:+--include="$BOOKWORM_INCLUDE"} bookworm "$rootfs" \
    "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" \
    >"$log" 2>&1 || exit 3
  echo "debootstrap: $((SECONDS - start)) s" >>"$log"
fi
if [[ -n ${BOOKWORM_SETUP:-} ]]; then $BOOKWORM_SETUP "$rootfs" || exit 3; fi
tmp=$layout.tmp
bundle=$(mktemp -d "${TMPDIR:-/tmp}/bookworm-bundle.XXXXXX")
rmdir "$bundle"
rm -rf "$tmp"
umoci init --layout "$tmp"
umoci new --image "$tmp:$tag"
umoci unpack --image "$tmp:$tag" "$bundle" >/dev/null
tar -C "$rootfs" --exclude=./dev/* --exclude=./proc/* --exclude=./sys/* --exclude=./usr/share/doc/* \
  --exclude=./usr/share/man/* --exclude=./usr/share/info/* --exclude=./usr/share/locale/* \
  --exclude=./var/cache/apt/archives/*.deb -cf - . | tar -C "$bundle/rootfs" -xf -
umoci repack --image "$tmp:$tag" "$bundle" >/dev/null
umoci config --image "$tmp:$tag" --os linux --architecture amd64 >/dev/null
umoci gc --layout "$tmp"
rm -rf "$bundle"
touch "$tmp/.complete"
rm -rf "$layout"
mv "$tmp" "$layout"
echo "$layout"
