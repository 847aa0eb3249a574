#!/usr/bin/env bash
# Prints the path of a `docker save` tarball of Berth's base image: Debian 12 minbase plus the distribution's
# openjdk-17-jre-headless (debootstrap, packed with umoci by ci/bookworm-image.sh into the OCI layout
# bookworm-jre17-oci:17, cached beside its bookworm image), with the unprivileged user Berth runs as (uid/gid 10001,
# "berth") and /data owned by it, so that a fresh volume mounted there is writable without root. The tarball is what
# jib reads as a local base (`tar://`; jib reads no OCI layout); the profile `-Pimage` of berth-server defaults to
# /var/cache/berth-interop/bookworm-jre17.tar.
#
# Same environment as ci/bookworm-image.sh (BERTH_IMAGE_CACHE, DEBIAN_MIRROR); exits 3 when it cannot be built.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [[ ${1:-} == --setup ]]; then
  # Runs before packing, on the bootstrapped tree: the user and the data directory, and nothing apt keeps for itself.
  rootfs=$2
  chroot "$rootfs" groupadd --gid 10001 berth
  chroot "$rootfs" useradd --uid 10001 --gid 10001 --home-dir /data --no-create-home \
    --shell /usr/sbin/nologin berth
  install -d -o 10001 -g 10001 -m 0700 "$rootfs/data"
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin
  [[ -x $rootfs/usr/bin/java ]]
  exit 0
fi

layout=$(BOOKWORM_INCLUDE=openjdk-17-jre-headless BOOKWORM_LAYOUT=bookworm-jre17-oci BOOKWORM_TAG=17 \
  BOOKWORM_SETUP="$here/jre-image.sh --setup" "$here/bookworm-image.sh") || exit 3
tarball=${layout%-oci}.tar
if [[ ! -f $tarball ]]; then
  command -v skopeo >/dev/null || exit 3
  skopeo --insecure-policy copy -q "oci:$layout:17" "docker-archive:$tarball.tmp:berth-jre:17" >&2 || exit 3
  mv "$tarball.tmp" "$tarball"
fi
echo "$tarball"
