# shellcheck shell=bash
# Interop stages for the container engines' own clients, sourced by ci/interop.sh (after lib.sh and
# make-images.sh; uses its REG, WORK, LAYOUT, sk_* and awsecr):
#
#   podman - podman login with the ECR token, push and pull of a single-platform image and of a two-platform
#            index (podman manifest), with vfs storage and its own root and runroot under $WORK
#   ctr    - containerd started by the stage with its own root, state and socket under $WORK (stopped at exit);
#            ctr pull with unpack (native snapshotter) and push, of the same two images, with the ECR token
#
# The registry listens on plain HTTP: podman gets --tls-verify=false, ctr --plain-http. Every failing check prints
# the command it ran (with credentials replaced by ***) and the end of its output.

# ======================================================= stage: podman ===
PODMAN_DIR=""
# pm ARGS...: podman on its own storage (vfs: no overlay inside a container; cgroupfs and file events: no systemd)
pm() {
  timeout 300 podman --root "$PODMAN_DIR/root" --runroot "$PODMAN_DIR/runroot" --storage-driver vfs \
    --cgroup-manager cgroupfs --events-backend file --tmpdir "$PODMAN_DIR/tmp" "$@"
}
# pm_reg ARGS...: a podman command that talks to the registry, with the stage's login
pm_reg() {
  local cmd=$1
  shift
  if [[ $cmd == manifest ]]; then
    local sub=$1
    shift
    pm manifest "$sub" --tls-verify=false --authfile "$PODMAN_DIR/auth.json" "$@"
  else
    pm "$cmd" --tls-verify=false --authfile "$PODMAN_DIR/auth.json" "$@"
  fi
}

podman_login() {
  local password
  password=$(awsecr get-login-password) || return 1
  pm login --authfile "$PODMAN_DIR/auth.json" --tls-verify=false --username AWS --password-stdin "$REG" \
    <<<"$password"
}

# pm_import TAG REF: copies oci:$LAYOUT:TAG into podman's storage and names it REF. podman names an image pulled
# from a layout after the layout's path, which must then be a valid lower-case name: the temp dir's is not, so the
# layout is named relative to its parent.
pm_import() {
  local id
  id=$(cd "$(dirname "$LAYOUT")" && pm pull -q "oci:$(basename "$LAYOUT"):$1") || return 1
  pm tag "$id" "$2"
}

# pm_add_both LIST: adds the layout's amd64 and arm64 images to the manifest list LIST
pm_add_both() { pm manifest add "$1" "oci:$LAYOUT:amd64" && pm manifest add "$1" "oci:$LAYOUT:arm64"; }

# pm_field REF FORMAT: podman image inspect --format FORMAT REF
pm_field() { pm image inspect --format "$2" "$1" 2>&1 || true; }

# config_of MANIFEST_DIGEST: the config digest of a manifest in $LAYOUT
config_of() { jq -r .config.digest "$(oci_blob_path "$LAYOUT" "$1")"; }

stage_podman() {
  banner "podman: login, push, pull ($(podman --version 2>/dev/null || echo 'podman missing'))"
  command -v podman >/dev/null || die "missing podman (Debian package podman)"
  [[ -x $AWS_CLI ]] || die "missing AWS CLI v2 at $AWS_CLI (Debian package awscli)"
  [[ -n ${LAYOUT:-} ]] || oci_build_images
  PODMAN_DIR=$WORK/podman
  mkdir -p "$PODMAN_DIR/root" "$PODMAN_DIR/runroot" "$PODMAN_DIR/tmp"
  # no search registries: every name is fully qualified, and the host's registries.conf does not matter
  printf 'unqualified-search-registries = []\n' >"$PODMAN_DIR/registries.conf"
  export CONTAINERS_REGISTRIES_CONF=$PODMAN_DIR/registries.conf
  log "podman --root $PODMAN_DIR/root --runroot $PODMAN_DIR/runroot --storage-driver vfs (pm), registry calls add --tls-verify=false --authfile $PODMAN_DIR/auth.json (pm_reg)"
  local single=$REG/interop/podman:1.0 multi=$REG/interop/podman-multi:latest pushed out

  check podman-login "aws ecr get-login-password | podman login --username AWS --password-stdin" podman_login

  # single platform: oci layout -> podman storage -> push -> forget -> pull
  check podman-import "podman pull oci:amd64 (from the layout) as $single" pm_import amd64 "$single"
  check podman-push "podman push $single" pm_reg push --digestfile "$PODMAN_DIR/single.digest" "$single"
  pushed=$(cat "$PODMAN_DIR/single.digest" 2>/dev/null || echo "no digest file")
  check_eq podman-push-digest "registry serves the manifest podman pushed" "$pushed" \
    "$(sk_digest "docker://$single" 2>&1 || true)"
  # every image goes (the import's name too), so the pull below fetches everything from the registry
  check podman-rmi "podman rmi --all --force" pm rmi --all --force
  check podman-pull "podman pull $single" pm_reg pull -q "$single"
  check_eq podman-pull-image "pulled image: config of the amd64 image, the pushed manifest digest" \
    "$(config_of "$APP_DIGEST") $pushed" "$(pm_field "$single" 'sha256:{{.Id}} {{.Digest}}')"

  # two platforms: podman manifest list over both layout images, pushed with its instances
  check podman-manifest-create "podman manifest create interop-multi" pm manifest create interop-multi
  check podman-manifest-add "podman manifest add interop-multi oci:amd64 and oci:arm64" pm_add_both interop-multi
  check podman-manifest-push "podman manifest push --all interop-multi $multi" \
    pm_reg manifest push --all --digestfile "$PODMAN_DIR/multi.digest" interop-multi "docker://$multi"
  pushed=$(cat "$PODMAN_DIR/multi.digest" 2>/dev/null || echo "no digest file")
  check_eq podman-manifest-digest "registry serves the index podman pushed" "$pushed" \
    "$(sk_digest "docker://$multi" 2>&1 || true)"
  out=$(sk_inspect --raw "docker://$multi" 2>&1 || true)
  check_eq podman-manifest-content "pushed index: linux/amd64 and linux/arm64, the layout's manifests" \
    "$(jq -c '[["linux/amd64", $a], ["linux/arm64", $b]]' --arg a "$APP_DIGEST" --arg b "$ARM_DIGEST" -n)" \
    "$(jq -c '[.manifests[] | ["\(.platform.os)/\(.platform.architecture)", .digest]] | sort' <<<"$out" 2>/dev/null || echo "not JSON: $out")"
  check podman-pull-arm64 "podman pull --arch arm64 $multi" pm_reg pull -q --arch arm64 "$multi"
  check_eq podman-pull-arm64-image "index resolved to the arm64 image" "arm64 $(config_of "$ARM_DIGEST")" \
    "$(pm_field "$multi" '{{.Architecture}} sha256:{{.Id}}')"
  check podman-pull-amd64 "podman pull --arch amd64 $multi" pm_reg pull -q --arch amd64 "$multi"
  check_eq podman-pull-amd64-image "index resolved to the amd64 image" "amd64 $(config_of "$APP_DIGEST")" \
    "$(pm_field "$multi" '{{.Architecture}} sha256:{{.Id}}')"
}

# ========================================================== stage: ctr ===
CTR_DIR=""
CONTAINERD_PID=""
CTR_TOKEN=""

ctr_() { timeout 300 ctr --address "$CTR_DIR/containerd.sock" --namespace interop "$@"; }
# ctr_reg pull|push ARGS...: a ctr command that talks to the registry, with the ECR token
ctr_reg() {
  local cmd=$1
  shift
  ctr_ images "$cmd" --plain-http --user "AWS:$CTR_TOKEN" "$@"
}

start_containerd() {
  CTR_DIR=$WORK/containerd
  mkdir -p "$CTR_DIR"
  # Only what pull, unpack and push need: no CRI, no snapshotters this machine cannot have.
  cat >"$CTR_DIR/config.toml" <<EOF
version = 2
root = "$CTR_DIR/root"
state = "$CTR_DIR/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs"]
[grpc]
  address = "$CTR_DIR/containerd.sock"
[ttrpc]
  address = "$CTR_DIR/containerd.sock.ttrpc"
[debug]
  address = "$CTR_DIR/debug.sock"
EOF
  log "containerd --config $CTR_DIR/config.toml (log $CTR_DIR/containerd.log)"
  setsid containerd --config "$CTR_DIR/config.toml" >"$CTR_DIR/containerd.log" 2>&1 </dev/null &
  CONTAINERD_PID=$!
  EXIT_HOOKS+=(stop_containerd)
  local deadline=$((SECONDS + 30))
  until ctr_ version >/dev/null 2>&1; do
    if ! kill -0 "$CONTAINERD_PID" 2>/dev/null || ((SECONDS > deadline)); then
      tail -n 20 "$CTR_DIR/containerd.log" >&2 || true
      die "containerd did not answer on $CTR_DIR/containerd.sock"
    fi
    sleep 0.2
  done
}

stop_containerd() {
  [[ -n $CONTAINERD_PID ]] || return 0
  kill -TERM "$CONTAINERD_PID" 2>/dev/null || true
  for _ in $(seq 1 20); do kill -0 "$CONTAINERD_PID" 2>/dev/null || break; sleep 0.25; done
  kill -KILL "$CONTAINERD_PID" 2>/dev/null || true
  wait "$CONTAINERD_PID" 2>/dev/null || true
  CONTAINERD_PID=""
}

# unpacked_hellos: what /bin/hello prints, in every unpacked snapshot that has it (the native snapshotter keeps each
# snapshot as a plain directory), sorted and joined by ", "
unpacked_hellos() {
  cat "$CTR_DIR"/root/io.containerd.snapshotter.v1.native/snapshots/*/bin/hello 2>/dev/null | sed -n 's/^echo //p' \
    | LC_ALL=C sort -u | paste -sd, | sed 's/,/, /g'
}

stage_ctr() {
  banner "ctr: pull with unpack, push ($(ctr --version 2>/dev/null || echo 'ctr missing'))"
  command -v containerd >/dev/null && command -v ctr >/dev/null || die "missing containerd/ctr (Debian package containerd)"
  [[ -x $AWS_CLI ]] || die "missing AWS CLI v2 at $AWS_CLI (Debian package awscli)"
  [[ -n ${LAYOUT:-} ]] || oci_build_images
  export CONTAINERD_SNAPSHOTTER=native # no overlay mounts inside a container: unpacking copies into directories
  start_containerd
  log "ctr --address $CTR_DIR/containerd.sock --namespace interop (ctr_), registry calls add --plain-http --user AWS:<token> (ctr_reg)"
  local src=$REG/interop/ctr-src dst=$REG/interop/ctr out
  CTR_TOKEN=$(awsecr get-login-password 2>&1) || { fail ctr-token "aws ecr get-login-password" "$CTR_TOKEN"; return 0; }

  # sources, pushed by skopeo: the single image and the index
  check ctr-src "skopeo copy oci:amd64 -> $src:1.0" sk_copy "oci:$LAYOUT:amd64" "docker://$src:1.0"
  check ctr-src-index "skopeo copy --all oci:multi -> $src:multi" sk_copy --all "oci:$LAYOUT:multi" "docker://$src:multi"

  check ctr-pull "ctr images pull $src:1.0 (unpacks linux/amd64)" ctr_reg pull "$src:1.0"
  check_eq ctr-pull-unpacked "ctr images check: $src:1.0 complete and unpacked" "$src:1.0" \
    "$(ctr_ images check -q "name==$src:1.0" 2>&1)"
  check_eq ctr-pull-rootfs "unpacked rootfs has the amd64 image's /bin/hello" "hello from amd64" "$(unpacked_hellos)"

  check ctr-pull-index "ctr images pull --all-platforms $src:multi" ctr_reg pull --all-platforms "$src:multi"
  check_eq ctr-pull-index-unpacked "ctr images check: $src:multi complete and unpacked" "$src:multi" \
    "$(ctr_ images check -q "name==$src:multi" 2>&1)"
  check_eq ctr-pull-index-rootfs "both platforms unpacked (/bin/hello of amd64 and arm64)" \
    "hello from amd64, hello from arm64" "$(unpacked_hellos)"

  check ctr-tag "ctr images tag $src:1.0 $dst:1.0" ctr_ images tag "$src:1.0" "$dst:1.0"
  check ctr-push "ctr images push $dst:1.0" ctr_reg push "$dst:1.0"
  check_eq ctr-push-same "$dst:1.0: the layout's amd64 manifest, byte for byte" "$(sk_raw_sha "oci:$LAYOUT:amd64")" \
    "$(sk_raw_sha "docker://$dst:1.0" 2>&1 || true)"
  check ctr-tag-index "ctr images tag $src:multi $dst:multi" ctr_ images tag "$src:multi" "$dst:multi"
  check ctr-push-index "ctr images push $dst:multi (index and both platforms)" ctr_reg push "$dst:multi"
  check_eq ctr-push-index-same "$dst:multi: the layout's index, byte for byte" "$(sk_raw_sha "oci:$LAYOUT:multi")" \
    "$(sk_raw_sha "docker://$dst:multi" 2>&1 || true)"
  # every blob of both platforms arrived: a full copy reads and verifies each one
  check ctr-push-index-blobs "skopeo copy --all $dst:multi -> oci layout (every blob present)" \
    sk_copy --all "docker://$dst:multi" "oci:$WORK/ctr-back:multi"
  out=$(ctr_ images ls -q 2>&1 | sort | tr '\n' ' ')
  log "ctr images: $out"
}
