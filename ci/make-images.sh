# shellcheck shell=bash
# Image builders for the interop test, without a Docker engine.
# Source it (after ci/lib.sh). Needs umoci, jq, sha256sum, tar, gzip.
#
#   make_umoci_image LAYOUT TAG ARCH    - small linux/ARCH image built by umoci
#   make_index LAYOUT TAG SRC_TAG...    - OCI image index over SRC_TAGs (by hand)
#   make_artifact DIR SUBJECT_JSON       - OCI artifact (empty config + subject)

EMPTY_CONFIG_MT=application/vnd.oci.empty.v1+json
EMPTY_CONFIG_DIGEST=sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a
OCI_MANIFEST_MT=application/vnd.oci.image.manifest.v1+json
OCI_INDEX_MT=application/vnd.oci.image.index.v1+json
ARTIFACT_TYPE=application/vnd.berth.test.sbom.v1+json

# make_umoci_image LAYOUT TAG ARCH
# Builds a two-layer image (base files, then an app layer) for linux/ARCH.
make_umoci_image() {
  local layout=$1 tag=$2 arch=$3 bundle
  [[ -f $layout/index.json ]] || umoci init --layout "$layout"
  umoci new --image "$layout:$tag"
  bundle=$(mktemp -d "${TMPDIR:-/tmp}/bundle.XXXXXX")
  rmdir "$bundle"

  # Layer 1: a tiny "base" filesystem.
  umoci unpack --image "$layout:$tag" "$bundle" >/dev/null
  mkdir -p "$bundle/rootfs/etc" "$bundle/rootfs/bin"
  echo "berth-interop base ($arch)" >"$bundle/rootfs/etc/os-release"
  printf '#!/bin/sh\necho hello from %s\n' "$arch" >"$bundle/rootfs/bin/hello"
  chmod 755 "$bundle/rootfs/bin/hello"
  umoci repack --image "$layout:$tag" "$bundle" >/dev/null
  rm -rf "$bundle"

  # Layer 2: "application" data, some of it a bit larger (so Range makes sense).
  umoci unpack --image "$layout:$tag" "$bundle" >/dev/null
  mkdir -p "$bundle/rootfs/app"
  echo "built for $arch at $(date -u +%FT%TZ)" >"$bundle/rootfs/app/build-info"
  head -c 65536 /dev/urandom >"$bundle/rootfs/app/data.bin"
  umoci repack --image "$layout:$tag" "$bundle" >/dev/null
  rm -rf "$bundle"

  umoci config --image "$layout:$tag" \
    --os linux --architecture "$arch" \
    --config.cmd /bin/hello \
    --config.env "BERTH_ARCH=$arch" \
    --config.label "org.opencontainers.image.title=berth-interop" >/dev/null
  umoci gc --layout "$layout"
}

# make_index LAYOUT TAG SRC_TAG...
# Writes an OCI image index over the manifests tagged SRC_TAG... (platform taken
# from each image's config) and tags it TAG.
make_index() {
  local layout=$1 tag=$2 src desc cfg_dg platform entries="" tmp dg sz
  shift 2
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/index.XXXXXX")
  for src in "$@"; do
    desc=$(oci_descriptor "$layout" "$src")
    [[ -n $desc ]] || die "make_index: no tag $src in $layout"
    cfg_dg=$(jq -r .config.digest "$(oci_blob_path "$layout" "$(jq -r .digest <<<"$desc")")")
    platform=$(jq -c '{architecture, os}' "$(oci_blob_path "$layout" "$cfg_dg")")
    entries+=$(jq -c --argjson p "$platform" '{mediaType, digest, size, platform: $p}' <<<"$desc")$'\n'
  done
  jq -cs --arg mt "$OCI_INDEX_MT" \
    '{schemaVersion: 2, mediaType: $mt, manifests: .,
      annotations: {"org.opencontainers.image.description": "berth interop multi-arch"}}' \
    <<<"$entries" >"$tmp/index.json"
  read -r dg sz < <(oci_put_blob "$layout" "$tmp/index.json")
  oci_tag "$layout" "$tag" "$OCI_INDEX_MT" "$dg" "$sz"
  rm -rf "$tmp"
}

# make_artifact DIR SUBJECT_DESCRIPTOR_JSON
# Writes DIR/empty.json (the empty config), DIR/sbom.json (the one layer) and
# DIR/manifest.json (an OCI image manifest with artifactType and subject).
make_artifact() {
  local dir=$1 subject=$2 sbom_dg sbom_sz
  mkdir -p "$dir"
  printf '{}' >"$dir/empty.json"
  [[ "sha256:$(sha256_of "$dir/empty.json")" == "$EMPTY_CONFIG_DIGEST" ]] || die "empty config digest"
  jq -cn --argjson s "$subject" '{sbom: "berth interop", subject: $s.digest, packages: ["hello"]}' \
    >"$dir/sbom.json"
  sbom_dg="sha256:$(sha256_of "$dir/sbom.json")"
  sbom_sz=$(size_of "$dir/sbom.json")
  jq -cn \
    --arg mt "$OCI_MANIFEST_MT" --arg at "$ARTIFACT_TYPE" \
    --arg cmt "$EMPTY_CONFIG_MT" --arg cdg "$EMPTY_CONFIG_DIGEST" \
    --arg ldg "$sbom_dg" --argjson lsz "$sbom_sz" \
    --argjson s "$subject" \
    '{schemaVersion: 2, mediaType: $mt, artifactType: $at,
      config: {mediaType: $cmt, digest: $cdg, size: 2},
      layers: [{mediaType: $at, digest: $ldg, size: $lsz}],
      subject: {mediaType: $s.mediaType, digest: $s.digest, size: $s.size},
      annotations: {"org.opencontainers.image.created": "2024-01-01T00:00:00Z"}}' \
    >"$dir/manifest.json"
}
