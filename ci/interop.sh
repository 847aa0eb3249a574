#!/usr/bin/env bash
# End-to-end interop test: start a registry, drive it with real clients
# (skopeo, curl, the AWS CLI, podman, containerd's ctr), check what comes back.
#
#   ci/interop.sh                          # Berth (./berth, built by ./mvnw verify)
#   REGISTRY_CMD=ci/distribution-registry.sh ci/interop.sh   # CNCF distribution
#
# Environment:
#   REGISTRY_CMD    command that starts the registry in the foreground; run with
#                   bash -c from the repository root, with REG_PORT (port to
#                   listen on, 127.0.0.1) and REG_DATA (empty data dir) exported.
#                   Default: ./berth serve --listen 127.0.0.1:$REG_PORT --data $REG_DATA
#                   with authentication on: BERTH_ROOT_ACCESS_KEY_ID/SECRET are
#                   exported and every client call sends them (REG_CREDS).
#   REG_CREDS       key:secret (or user:password) the clients send; set by default
#                   for Berth, empty for a custom REGISTRY_CMD unless given.
#   INTEROP_STAGES  stages to run, space separated (default: "oci auth ecr access
#                   lifecycle templates scanning console ptc signing replication kms webhooks ops podman ctr
#                   nodes image" with credentials, "oci" without; templates is in ci/interop-settings.sh, scanning
#                   in ci/interop-scanning.sh, ptc in ci/interop-pullthrough.sh, signing in
#                   ci/interop-signing.sh, replication in ci/interop-replication.sh, kms in
#                   ci/interop-kms.sh, webhooks in ci/interop-webhooks.sh, ops (metrics, throttling) in ci/interop-ops.sh, podman and ctr
#                   in ci/interop-clients.sh, nodes (two nodes behind nginx, its own PostgreSQL schema
#                   and S3Proxy) in ci/interop-nodes.sh), console (the web console in Chromium) in
#                   ci/interop-console.sh, image (jib image pushed to Berth itself, systemd unit; first pass
#                   only) in ci/interop-image.sh).
#   INTEROP_XFAIL   check ids whose failure is expected (reported as XFAIL).
#   KEEP_WORK=1     keep the temp dir (images, server log) after the run.
#   START_TIMEOUT   seconds to wait for GET /v2/ (default 90).
#
# Exit status: 0 if every check passed, 1 if any failed, 2 on a setup error.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=ci/lib.sh
source "$ROOT/ci/lib.sh"
# shellcheck source=ci/make-images.sh
source "$ROOT/ci/make-images.sh"
# shellcheck source=ci/interop-settings.sh
source "$ROOT/ci/interop-settings.sh"
# shellcheck source=ci/interop-scanning.sh
source "$ROOT/ci/interop-scanning.sh"
# shellcheck source=ci/interop-clients.sh
source "$ROOT/ci/interop-clients.sh"
# shellcheck source=ci/interop-pullthrough.sh
source "$ROOT/ci/interop-pullthrough.sh"
# shellcheck source=ci/interop-signing.sh
source "$ROOT/ci/interop-signing.sh"
# shellcheck source=ci/interop-nodes.sh
source "$ROOT/ci/interop-nodes.sh"
# shellcheck source=ci/interop-replication.sh
source "$ROOT/ci/interop-replication.sh"
# shellcheck source=ci/interop-ops.sh
source "$ROOT/ci/interop-ops.sh"
# shellcheck source=ci/interop-kms.sh
source "$ROOT/ci/interop-kms.sh"
# shellcheck source=ci/interop-webhooks.sh
source "$ROOT/ci/interop-webhooks.sh"
# shellcheck source=ci/interop-console.sh
source "$ROOT/ci/interop-console.sh"
# shellcheck source=ci/interop-image.sh
source "$ROOT/ci/interop-image.sh"

# shellcheck disable=SC2016 # expanded later, by bash -c, with REG_PORT/REG_DATA exported
if [[ -z ${REGISTRY_CMD:-} ]]; then
  REGISTRY_CMD='./berth serve --listen 127.0.0.1:$REG_PORT --data $REG_DATA'
  # Fixed test credentials (AWS's documentation example), bootstrapped as the root key at first start.
  export BERTH_ROOT_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
  export BERTH_ROOT_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
  REG_CREDS=${REG_CREDS-$BERTH_ROOT_ACCESS_KEY_ID:$BERTH_ROOT_SECRET_ACCESS_KEY}
  # the lifecycle stage: evaluations every 5 s, and test mode so `berth admin set-image-times` may backdate images
  # (the server and the admin commands both read these)
  export BERTH_LIFECYCLE_INTERVAL=${BERTH_LIFECYCLE_INTERVAL:-5s} BERTH_TESTING_ALLOW_BACKDATING=true
  # the replication stage: a second region, which the host name localhost selects (127.0.0.1 stays us-east-1)
  export BERTH_REGIONS=${BERTH_REGIONS:-us-east-1,eu-west-1} BERTH_REGISTRY_REGION_HOSTS=${BERTH_REGISTRY_REGION_HOSTS:-localhost=eu-west-1}
  # the webhooks stage: its receiver listens on 127.0.0.1
  export BERTH_WEBHOOKS_ALLOW_PRIVATE=${BERTH_WEBHOOKS_ALLOW_PRIVATE:-true}
fi
REG_CREDS=${REG_CREDS:-}
if [[ -n $REG_CREDS ]]; then INTEROP_STAGES=${INTEROP_STAGES:-oci auth ecr access lifecycle templates scanning console ptc signing replication kms webhooks ops podman ctr nodes image}; else INTEROP_STAGES=${INTEROP_STAGES:-oci}; fi
START_TIMEOUT=${START_TIMEOUT:-90}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/berth-interop.XXXXXX")
export TMPDIR=$WORK/tmp
mkdir -p "$TMPDIR" "$WORK/http"
HTTP_TMP=$WORK/http
SERVER_LOG=$WORK/server.log
SERVER_PID=""
EXIT_HOOKS=() # functions on_exit runs first (stages that start processes of their own add their stop here)

# ------------------------------------------------------------- registry ---
start_registry() {
  banner "start registry"
  REG_PORT=$(free_port)
  REG_DATA=$WORK/data
  mkdir -p "$REG_DATA"
  export REG_PORT REG_DATA
  REG=127.0.0.1:$REG_PORT
  BASE=http://$REG
  log "command: $REGISTRY_CMD"
  log "port $REG_PORT, data $REG_DATA, log $SERVER_LOG"
  # Own process group (setsid) so stop_registry can end the launcher and its children.
  (cd "$ROOT" && exec setsid bash -c "$REGISTRY_CMD") >"$SERVER_LOG" 2>&1 </dev/null &
  SERVER_PID=$!
  local deadline=$((SECONDS + START_TIMEOUT)) code
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 ${REG_CREDS:+-u "$REG_CREDS"} "$BASE/v2/" || true)
    [[ $code == 200 ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "registry exited during start-up"
    ((SECONDS < deadline)) || die "registry not answering 200 on GET /v2/ after ${START_TIMEOUT}s (last: $code)"
    sleep 0.5
  done
  log "GET /v2/ -> 200 after $((SECONDS - deadline + START_TIMEOUT))s"
}

stop_registry() {
  [[ -n $SERVER_PID ]] || return 0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM -- "-$SERVER_PID" 2>/dev/null || kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

on_exit() {
  local rc=$? hook
  for hook in "${EXIT_HOOKS[@]}"; do "$hook" || true; done
  stop_registry
  if ((rc != 0)) && [[ -f $SERVER_LOG ]]; then
    banner "registry log (last 200 lines of $SERVER_LOG)"
    tail -n 200 "$SERVER_LOG" || true
  fi
  if [[ ${KEEP_WORK:-} == 1 ]]; then echo "work dir kept: $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------- clients ---
# skopeo against the plain-HTTP registry; bounded in time. With REG_CREDS, both
# ends of a copy authenticate (skopeo ignores --src-creds for oci: layouts).
SK_COPY_CREDS=()
SK_CREDS=()
if [[ -n $REG_CREDS ]]; then
  SK_COPY_CREDS=(--src-creds "$REG_CREDS" --dest-creds "$REG_CREDS")
  SK_CREDS=(--creds "$REG_CREDS")
fi
sk_copy()    { timeout 300 skopeo --insecure-policy copy -q --src-tls-verify=false --dest-tls-verify=false "${SK_COPY_CREDS[@]}" "$@"; }
sk_inspect() { timeout 120 skopeo inspect --tls-verify=false "${SK_CREDS[@]}" "$@"; }
sk_raw_sha() { sk_inspect --raw "$1" | sha256_stdin; }
sk_digest()  { sk_inspect --format '{{.Digest}}' "$1"; }

# check_same_manifest ID WHAT SRC DST: raw manifest bytes of SRC and DST equal,
# and DST's reported digest is the sha256 of those bytes.
check_same_manifest() {
  local id=$1 what=$2 src=$3 dst=$4 a b d
  a=$(sk_raw_sha "$src" 2>&1) || a="error: $a"
  b=$(sk_raw_sha "$dst" 2>&1) || b="error: $b"
  check_eq "$id-raw" "$what: raw manifest sha256 equal" "$a" "$b"
  d=$(sk_digest "$dst" 2>&1) || d="error: $d"
  check_eq "$id-digest" "$what: inspect Digest = sha256(raw)" "sha256:$b" "$d"
}

# push_blob REPO FILE: POST + monolithic PUT; sets HTTP_* of the PUT.
push_blob() {
  local repo=$1 file=$2 dg loc sep
  dg="sha256:$(sha256_of "$file")"
  http POST "$BASE/v2/$repo/blobs/uploads/" -H 'Content-Length: 0'
  [[ $HTTP_STATUS == 202 ]] || { CHECK_DETAIL="POST uploads -> $HTTP_STATUS"; return 1; }
  loc=$(header Location)
  [[ $loc == http* ]] || loc=$BASE$loc
  [[ $loc == *\?* ]] && sep='&' || sep='?'
  http PUT "$loc${sep}digest=$dg" -H 'Content-Type: application/octet-stream' --data-binary "@$file"
  [[ $HTTP_STATUS == 201 ]] || { CHECK_DETAIL="PUT upload -> $HTTP_STATUS $(error_codes)"; return 1; }
}

# ========================================================== stage: oci ===
# OCI Distribution API driven by skopeo and curl.
stage_oci() {
  oci_build_images
  oci_push
  oci_artifact_and_referrers
  oci_copy_between_repos
  oci_pull_back
  oci_listing
  oci_negative
  oci_delete
}

oci_build_images() {
  banner "oci: build images (umoci + jq)"
  LAYOUT=$WORK/layout
  make_umoci_image "$LAYOUT" amd64 amd64
  make_umoci_image "$LAYOUT" arm64 arm64
  make_index "$LAYOUT" multi amd64 arm64
  log "layout $LAYOUT: $(jq -r '[.manifests[].annotations["org.opencontainers.image.ref.name"]] | join(", ")' "$LAYOUT/index.json")"
  APP_DIGEST=$(jq -r .digest <<<"$(oci_descriptor "$LAYOUT" amd64)")
  ARM_DIGEST=$(jq -r .digest <<<"$(oci_descriptor "$LAYOUT" arm64)")
  INDEX_DIGEST=$(jq -r .digest <<<"$(oci_descriptor "$LAYOUT" multi)")
  APP_MANIFEST=$(oci_blob_path "$LAYOUT" "$APP_DIGEST")
  LAYER_DIGEST=$(jq -r '.layers[-1].digest' "$APP_MANIFEST")
  LAYER_SIZE=$(jq -r '.layers[-1].size' "$APP_MANIFEST")
}

oci_push() {
  banner "oci: push with skopeo"
  check push-oci "skopeo copy oci:amd64 -> interop/app:1.0 (OCI manifest)" \
    sk_copy "oci:$LAYOUT:amd64" "docker://$REG/interop/app:1.0"
  check_same_manifest push-oci "interop/app:1.0" "oci:$LAYOUT:amd64" "docker://$REG/interop/app:1.0"
  expect_status push-oci-get "GET interop/app:1.0 (Accept OCI + Docker) -> 200" 200 - -- \
    GET "$BASE/v2/interop/app/manifests/1.0" -H "Accept: $OCI_MANIFEST_MT" \
    -H "Accept: application/vnd.docker.distribution.manifest.v2+json"
  check_eq push-oci-content-type "interop/app:1.0 served as an OCI manifest" \
    "$OCI_MANIFEST_MT" "$(header Content-Type | cut -d';' -f1)"
  check_eq push-oci-content-digest "Docker-Content-Digest = source manifest digest" \
    "$APP_DIGEST" "$(header Docker-Content-Digest)"

  check push-v2s2 "skopeo copy --format v2s2 oci:amd64 -> interop/app-docker:1.0" \
    sk_copy --format v2s2 "oci:$LAYOUT:amd64" "docker://$REG/interop/app-docker:1.0"
  local raw
  raw=$(sk_inspect --raw "docker://$REG/interop/app-docker:1.0" || true)
  check_eq push-v2s2-mediatype "interop/app-docker:1.0 is a Docker v2s2 manifest" \
    application/vnd.docker.distribution.manifest.v2+json "$(jq -r .mediaType <<<"$raw")"
  check_eq push-v2s2-layers "v2s2 manifest has the source's layer digests" \
    "$(jq -c '[.layers[].digest]' "$APP_MANIFEST")" "$(jq -c '[.layers[].digest]' <<<"$raw")"
  check_eq push-v2s2-digest "v2s2 inspect Digest = sha256(raw)" \
    "sha256:$(printf '%s' "$raw" | sha256_stdin)" "$(sk_digest "docker://$REG/interop/app-docker:1.0" || true)"

  check push-index "skopeo copy --all oci:multi -> interop/multi:latest (index)" \
    sk_copy --all "oci:$LAYOUT:multi" "docker://$REG/interop/multi:latest"
  check_same_manifest push-index "interop/multi:latest" "oci:$LAYOUT:multi" "docker://$REG/interop/multi:latest"
  check_eq push-index-arm64 "index resolves to the arm64 image for --override-arch arm64" \
    "arm64 $(jq -c '[.layers[].digest]' "$(oci_blob_path "$LAYOUT" "$ARM_DIGEST")")" \
    "$(sk_inspect --override-os linux --override-arch arm64 "docker://$REG/interop/multi:latest" | jq -r '"\(.Architecture) \(.Layers | tojson)"' || true)"
  expect_status push-index-head "HEAD interop/multi:latest (Accept OCI index) -> 200" 200 - -- \
    HEAD "$BASE/v2/interop/multi/manifests/latest" -H "Accept: $OCI_INDEX_MT"
  check_eq push-index-content-type "index served as an OCI image index" \
    "$OCI_INDEX_MT" "$(header Content-Type | cut -d';' -f1)"
  check_eq push-index-content-digest "index Docker-Content-Digest = source index digest" \
    "$INDEX_DIGEST" "$(header Docker-Content-Digest)"
  local arch dg
  for arch in amd64 arm64; do
    dg=$(jq -r .digest <<<"$(oci_descriptor "$LAYOUT" "$arch")")
    expect_status "push-index-child-$arch" "index child linux/$arch present by digest" 200 - -- \
      HEAD "$BASE/v2/interop/multi/manifests/$dg" -H "Accept: $OCI_MANIFEST_MT"
  done
}

oci_artifact_and_referrers() {
  banner "oci: artifact with subject, referrers API (curl)"
  local art=$WORK/artifact subject art_dg
  subject=$(oci_descriptor "$LAYOUT" amd64)
  make_artifact "$art" "$subject"
  art_dg="sha256:$(sha256_of "$art/manifest.json")"

  # Referrers of a subject that has none: 200 and an empty index (spec MUST).
  expect_status referrers-empty "GET referrers of a subject without referrers -> 200" 200 - -- \
    GET "$BASE/v2/interop/app/referrers/$ARM_DIGEST"
  check_eq referrers-empty-list "... and an empty image index" 0 \
    "$(jq -r '.manifests | length' "$HTTP_BODY" 2>/dev/null || echo invalid)"

  check artifact-blob-config "push empty config blob {}" push_blob interop/app "$art/empty.json"
  check artifact-blob-layer "push artifact layer blob" push_blob interop/app "$art/sbom.json"
  expect_status artifact-put "PUT artifact manifest (artifactType, empty config, subject) -> 201" 201 - -- \
    PUT "$BASE/v2/interop/app/manifests/$art_dg" \
    -H "Content-Type: $OCI_MANIFEST_MT" --data-binary "@$art/manifest.json"
  check_eq artifact-oci-subject "PUT response has OCI-Subject: <subject digest>" \
    "$APP_DIGEST" "$(header OCI-Subject)"
  check_eq artifact-location "PUT response Docker-Content-Digest = artifact digest" \
    "$art_dg" "$(header Docker-Content-Digest)"

  expect_status artifact-get "GET artifact manifest by digest -> 200" 200 - -- \
    GET "$BASE/v2/interop/app/manifests/$art_dg" -H "Accept: $OCI_MANIFEST_MT"
  check_eq artifact-get-bytes "artifact manifest bytes unchanged" \
    "${art_dg#sha256:}" "$(sha256_of "$HTTP_BODY")"

  expect_status referrers "GET /v2/interop/app/referrers/<subject> -> 200" 200 - -- \
    GET "$BASE/v2/interop/app/referrers/$APP_DIGEST"
  check_eq referrers-content-type "referrers Content-Type is an OCI index" \
    "$OCI_INDEX_MT" "$(header Content-Type | cut -d';' -f1)"
  check_eq referrers-lists-artifact "referrers lists the artifact with its artifactType" \
    "$art_dg $ARTIFACT_TYPE" \
    "$(jq -r --arg d "$art_dg" '.manifests[]? | select(.digest == $d) | "\(.digest) \(.artifactType)"' "$HTTP_BODY" 2>/dev/null)"
  expect_status referrers-filter "referrers ?artifactType=<other> -> 200" 200 - -- \
    GET "$BASE/v2/interop/app/referrers/$APP_DIGEST?artifactType=application/x-none"
  if [[ -n $(header OCI-Filters-Applied) ]]; then
    check_eq referrers-filter-empty "filtered referrers (OCI-Filters-Applied) are empty" 0 \
      "$(jq -r '.manifests | length' "$HTTP_BODY" 2>/dev/null || echo invalid)"
  fi
  ARTIFACT_DIGEST=$art_dg
}

oci_copy_between_repos() {
  banner "oci: copy between repositories (cross-repository mount)"
  check copy-repo "skopeo copy docker://interop/app:1.0 -> docker://interop/app-copy:1.0" \
    sk_copy "docker://$REG/interop/app:1.0" "docker://$REG/interop/app-copy:1.0"
  check_same_manifest copy-repo "interop/app-copy:1.0" "docker://$REG/interop/app:1.0" "docker://$REG/interop/app-copy:1.0"
  check copy-index "skopeo copy --all docker://interop/multi -> docker://interop/multi-copy" \
    sk_copy --all "docker://$REG/interop/multi:latest" "docker://$REG/interop/multi-copy:latest"
  check_same_manifest copy-index "interop/multi-copy:latest" "docker://$REG/interop/multi:latest" "docker://$REG/interop/multi-copy:latest"

  # The mount itself, explicitly: POST ?mount=&from= -> 201 Created (spec end-11).
  expect_status mount "POST uploads/?mount=<layer>&from=interop/app -> 201" 201 - -- \
    POST "$BASE/v2/interop/mounted/blobs/uploads/?mount=$LAYER_DIGEST&from=interop/app" -H 'Content-Length: 0'
  check_eq mount-digest "mount response Docker-Content-Digest" "$LAYER_DIGEST" "$(header Docker-Content-Digest)"
  expect_status mount-head "HEAD mounted blob in interop/mounted -> 200" 200 - -- \
    HEAD "$BASE/v2/interop/mounted/blobs/$LAYER_DIGEST"
  check_eq mount-head-length "mounted blob Content-Length" "$LAYER_SIZE" "$(header Content-Length)"
  # Without from (OCI conformance): the registry finds a repository holding the blob that the caller may pull
  # from; the arm64 layer is only in interop/multi.
  local arm_layer
  arm_layer=$(jq -r '.layers[-1].digest' "$(oci_blob_path "$LAYOUT" "$ARM_DIGEST")")
  expect_status mount-no-from "POST uploads/?mount=<arm64 layer> without from -> 201" 201 - -- \
    POST "$BASE/v2/interop/mounted/blobs/uploads/?mount=$arm_layer" -H 'Content-Length: 0'
  check_eq mount-no-from-location "mount without from: Location is the blob" "/v2/interop/mounted/blobs/$arm_layer" \
    "$(header Location | sed -E 's#^https?://[^/]+##')"
}

oci_pull_back() {
  banner "oci: pull back and compare"
  local out=$WORK/pulled
  check pull-oci "skopeo copy docker://interop/app:1.0 -> oci:" \
    sk_copy "docker://$REG/interop/app:1.0" "oci:$out:app"
  check_eq pull-oci-raw "pulled OCI image manifest = source manifest" \
    "$(sk_raw_sha "oci:$LAYOUT:amd64")" "$(sk_raw_sha "oci:$out:app" 2>/dev/null || true)"

  check pull-v2s2 "skopeo copy docker://interop/app-docker:1.0 -> dir:" \
    sk_copy "docker://$REG/interop/app-docker:1.0" "dir:$out-docker"
  check_eq pull-v2s2-raw "pulled v2s2 manifest = registry manifest" \
    "$(sk_raw_sha "docker://$REG/interop/app-docker:1.0")" "$(sha256_of "$out-docker/manifest.json" 2>/dev/null || true)"
  check_eq pull-v2s2-layer "pulled layer blob has its digest" \
    "${LAYER_DIGEST#sha256:}" "$(sha256_of "$out-docker/${LAYER_DIGEST#sha256:}" 2>/dev/null || true)"

  check pull-index "skopeo copy --all docker://interop/multi:latest -> oci:" \
    sk_copy --all "docker://$REG/interop/multi:latest" "oci:$out:multi"
  check_eq pull-index-raw "pulled index = source index" \
    "$(sk_raw_sha "oci:$LAYOUT:multi")" "$(sk_raw_sha "oci:$out:multi" 2>/dev/null || true)"
  check_eq pull-index-children "pulled both platform manifests" \
    "ok ok" "$(for d in "$APP_DIGEST" "$ARM_DIGEST"; do [[ -f $(oci_blob_path "$out" "$d") ]] && echo -n ok || echo -n missing; echo -n ' '; done | sed 's/ $//')"

  # Blob GET: full body digest, and a Range request (206 + exact bytes).
  expect_status blob-get "GET layer blob -> 200" 200 - -- GET "$BASE/v2/interop/app/blobs/$LAYER_DIGEST"
  check_eq blob-get-digest "blob body sha256 = digest" "${LAYER_DIGEST#sha256:}" "$(sha256_of "$HTTP_BODY")"
  expect_status blob-range "GET layer blob Range: bytes=10-19 -> 206" 206 - -- \
    GET "$BASE/v2/interop/app/blobs/$LAYER_DIGEST" -H 'Range: bytes=10-19'
  check_eq blob-range-bytes "Range body = bytes 10..19 of the blob" \
    "$(tail -c +11 "$(oci_blob_path "$LAYOUT" "$LAYER_DIGEST")" | head -c 10 | sha256_stdin)" "$(sha256_of "$HTTP_BODY")"
}

oci_listing() {
  banner "oci: tags and catalog"
  check tag-extra "skopeo copy interop/app:1.0 -> interop/app:latest (second tag)" \
    sk_copy "docker://$REG/interop/app:1.0" "docker://$REG/interop/app:latest"
  check_eq list-tags "skopeo list-tags interop/app" '["1.0","latest"]' \
    "$(timeout 60 skopeo list-tags --tls-verify=false "${SK_CREDS[@]}" "docker://$REG/interop/app" | jq -c '.Tags | sort' || true)"
  expect_status tags-list "GET tags/list -> 200" 200 - -- GET "$BASE/v2/interop/app/tags/list"
  check_eq tags-order "tags/list is in lexical order (spec MUST)" '["1.0","latest"]' "$(jq -c .tags "$HTTP_BODY" 2>/dev/null)"
  expect_status tags-page "GET tags/list?n=1 -> 200" 200 - -- GET "$BASE/v2/interop/app/tags/list?n=1"
  check_eq tags-page-one "tags/list?n=1 returns the first tag only" '["1.0"]' "$(jq -c .tags "$HTTP_BODY" 2>/dev/null)"
  check_eq tags-page-link "tags/list?n=1 has a Link header (rel=next)" yes \
    "$([[ $(header Link) == *'rel="next"'* ]] && echo yes || echo "no: '$(header Link)'")"
  expect_status tags-page-zero "GET tags/list?n=0 -> 200" 200 - -- GET "$BASE/v2/interop/app/tags/list?n=0"
  check_eq tags-page-zero-empty "tags/list?n=0 is empty and has no Link header (spec MUST)" '[] ' \
    "$(jq -c '.tags // []' "$HTTP_BODY" 2>/dev/null) $(header Link)"
  expect_status tags-last "GET tags/list?n=10&last=1.0 -> 200" 200 - -- GET "$BASE/v2/interop/app/tags/list?n=10&last=1.0"
  check_eq tags-last-rest "tags after last=1.0" '["latest"]' "$(jq -c .tags "$HTTP_BODY" 2>/dev/null)"

  expect_status catalog "GET /v2/_catalog -> 200" 200 - -- GET "$BASE/v2/_catalog"
  check_eq catalog-repos "catalog lists the pushed repositories" \
    '["interop/app","interop/app-copy","interop/app-docker","interop/multi","interop/multi-copy"]' \
    "$(jq -c '[.repositories[] | select(. != "interop/mounted")] | sort' "$HTTP_BODY" 2>/dev/null)"
}

oci_negative() {
  banner "oci: negative checks (status + OCI error code)"
  local zero=sha256:0000000000000000000000000000000000000000000000000000000000000000
  # Spec: a blob that is not found MUST be 404; a malformed digest may be
  # rejected as 400 DIGEST_INVALID instead.
  expect_status neg-digest-xyz "GET blob sha256:xyz -> 400 DIGEST_INVALID (or 404 BLOB_UNKNOWN)" \
    "400 404" "DIGEST_INVALID BLOB_UNKNOWN" -- GET "$BASE/v2/interop/app/blobs/sha256:xyz"
  expect_status neg-digest-short "GET blob sha256:abc123 (short hex) -> 400 DIGEST_INVALID (or 404 BLOB_UNKNOWN)" \
    "400 404" "DIGEST_INVALID BLOB_UNKNOWN" -- GET "$BASE/v2/interop/app/blobs/sha256:abc123"
  expect_status neg-blob-unknown "GET unknown blob -> 404 BLOB_UNKNOWN" 404 BLOB_UNKNOWN -- \
    GET "$BASE/v2/interop/app/blobs/$zero"
  expect_status neg-name-upper-get "GET /v2/Interop/App/manifests/1.0 -> 400 NAME_INVALID" 400 NAME_INVALID -- \
    GET "$BASE/v2/Interop/App/manifests/1.0"
  expect_status neg-name-upper-push "POST /v2/Interop/blobs/uploads/ -> 400 NAME_INVALID" 400 NAME_INVALID -- \
    POST "$BASE/v2/Interop/blobs/uploads/" -H 'Content-Length: 0'
  expect_status neg-manifest-unknown "GET unknown tag -> 404 MANIFEST_UNKNOWN" 404 MANIFEST_UNKNOWN -- \
    GET "$BASE/v2/interop/app/manifests/no-such-tag" -H "Accept: $OCI_MANIFEST_MT"
  expect_status neg-manifest-unknown-digest "GET unknown manifest digest -> 404 MANIFEST_UNKNOWN" 404 MANIFEST_UNKNOWN -- \
    GET "$BASE/v2/interop/app/manifests/$zero" -H "Accept: $OCI_MANIFEST_MT"
  # A reference that is not a valid tag names no manifest (OCI conformance: 404); only a PUT says TAG_INVALID.
  expect_status neg-tag-invalid-get "GET manifests/.INVALID_MANIFEST_NAME -> 404 MANIFEST_UNKNOWN" 404 \
    MANIFEST_UNKNOWN -- GET "$BASE/v2/interop/app/manifests/.INVALID_MANIFEST_NAME" -H "Accept: $OCI_MANIFEST_MT"
  expect_status neg-tag-invalid-head "HEAD manifests/.INVALID_MANIFEST_NAME -> 404" 404 - -- \
    HEAD "$BASE/v2/interop/app/manifests/.INVALID_MANIFEST_NAME" -H "Accept: $OCI_MANIFEST_MT"
  expect_status neg-tag-invalid-put "PUT manifests/.INVALID_MANIFEST_NAME -> 400 TAG_INVALID" 400 TAG_INVALID -- \
    PUT "$BASE/v2/interop/app/manifests/.INVALID_MANIFEST_NAME" -H "Content-Type: $OCI_MANIFEST_MT" \
    --data-binary "@$APP_MANIFEST"
  expect_status neg-name-unknown "GET tags/list of a missing repository -> 404 NAME_UNKNOWN" 404 NAME_UNKNOWN -- \
    GET "$BASE/v2/interop/no-such-repo/tags/list"

  local bad=$WORK/bad-manifest.json
  jq -c --arg z "$zero" '.layers[-1].digest = $z' "$APP_MANIFEST" >"$bad"
  # The spec's push section names BLOB_UNKNOWN, its code table MANIFEST_BLOB_UNKNOWN;
  # end-7 lists 404 as the failure status, registries commonly answer 400.
  expect_status neg-manifest-blob-unknown "PUT manifest with a missing layer -> 400 MANIFEST_BLOB_UNKNOWN" \
    "400 404" "MANIFEST_BLOB_UNKNOWN BLOB_UNKNOWN" -- PUT "$BASE/v2/interop/app/manifests/broken" \
    -H "Content-Type: $OCI_MANIFEST_MT" --data-binary "@$bad"
  printf '{"schemaVersion": 2, "mediaType": ' >"$bad"
  expect_status neg-manifest-invalid "PUT malformed manifest JSON -> 400 MANIFEST_INVALID" 400 MANIFEST_INVALID -- \
    PUT "$BASE/v2/interop/app/manifests/broken" -H "Content-Type: $OCI_MANIFEST_MT" --data-binary "@$bad"
  expect_status neg-manifest-put-gone "manifest tag 'broken' was not created -> 404" 404 MANIFEST_UNKNOWN -- \
    GET "$BASE/v2/interop/app/manifests/broken" -H "Accept: $OCI_MANIFEST_MT"

  # Upload whose content does not match ?digest= -> 400 DIGEST_INVALID.
  http POST "$BASE/v2/interop/app/blobs/uploads/" -H 'Content-Length: 0'
  local loc sep
  loc=$(header Location); [[ $loc == http* ]] || loc=$BASE$loc
  [[ $loc == *\?* ]] && sep='&' || sep='?'
  expect_status neg-upload-digest "PUT upload with a wrong ?digest= -> 400 DIGEST_INVALID" 400 DIGEST_INVALID -- \
    PUT "$loc${sep}digest=$zero" -H 'Content-Type: application/octet-stream' --data-binary 'not the zero digest'

  expect_status neg-range "GET blob Range past the end -> 416" 416 - -- \
    GET "$BASE/v2/interop/app/blobs/$LAYER_DIGEST" -H "Range: bytes=$((LAYER_SIZE + 100))-$((LAYER_SIZE + 200))"
}

oci_delete() {
  banner "oci: delete"
  local dg
  dg=$(sk_digest "docker://$REG/interop/app-copy:1.0" || true)
  check delete-digest "skopeo delete docker://interop/app-copy@<digest>" \
    timeout 60 skopeo delete --tls-verify=false "${SK_CREDS[@]}" "docker://$REG/interop/app-copy@$dg"
  expect_status delete-gone "GET deleted manifest by digest -> 404 MANIFEST_UNKNOWN" 404 MANIFEST_UNKNOWN -- \
    GET "$BASE/v2/interop/app-copy/manifests/$dg" -H "Accept: $OCI_MANIFEST_MT"
  local out
  out=$(sk_copy "docker://$REG/interop/app-copy:1.0" "oci:$WORK/deleted:x" 2>&1) && out="pull succeeded"
  check_eq delete-pull-fails "pull of the deleted image fails with manifest unknown / 404" yes \
    "$([[ $out == *"manifest unknown"* || $out == *404* ]] && echo yes || echo "no: ${out:0:200}")"
  expect_status delete-other-repo "the same digest in interop/app is untouched -> 200" 200 - -- \
    HEAD "$BASE/v2/interop/app/manifests/$dg" -H "Accept: $OCI_MANIFEST_MT"

  # Delete by tag (untag; spec end-9, optional): manifest stays by digest.
  expect_status delete-tag "DELETE /v2/interop/app/manifests/latest (tag) -> 202" 202 - -- \
    DELETE "$BASE/v2/interop/app/manifests/latest"
  expect_status delete-tag-gone "GET untagged tag -> 404 MANIFEST_UNKNOWN" 404 MANIFEST_UNKNOWN -- \
    GET "$BASE/v2/interop/app/manifests/latest" -H "Accept: $OCI_MANIFEST_MT"
  expect_status delete-tag-keeps "manifest still there by digest and tag 1.0 -> 200" 200 - -- \
    HEAD "$BASE/v2/interop/app/manifests/1.0" -H "Accept: $OCI_MANIFEST_MT"

  # Deleting a subject's referrer: the referrers list forgets it.
  if [[ -n ${ARTIFACT_DIGEST:-} ]]; then
    expect_status delete-artifact "DELETE artifact manifest by digest -> 202" 202 - -- \
      DELETE "$BASE/v2/interop/app/manifests/$ARTIFACT_DIGEST"
    http GET "$BASE/v2/interop/app/referrers/$APP_DIGEST"
    check_eq delete-artifact-referrers "referrers no longer list the deleted artifact" "200 0" \
      "$HTTP_STATUS $(jq -r --arg d "$ARTIFACT_DIGEST" '[.manifests[]? | select(.digest == $d)] | length' "$HTTP_BODY" 2>/dev/null)"
  fi
}

# ========================================================= stage: auth ===
# /v2/ authentication as ECR does it: Basic challenge, key:secret accepted,
# anything forged refused. Needs REG_CREDS.
stage_auth() {
  banner "auth: /v2/ authentication (curl)"
  HTTP_ANON=1 expect_status auth-anonymous "GET /v2/ without credentials -> 401" 401 - -- GET "$BASE/v2/"
  check_eq auth-challenge "401 carries ECR's Basic challenge" \
    "Basic realm=\"$BASE/\",service=\"ecr.amazonaws.com\"" "$(header WWW-Authenticate)"
  check_eq auth-anonymous-code "401 body is the OCI UNAUTHORIZED error" UNAUTHORIZED \
    "$(jq -r '.errors[0].code' "$HTTP_BODY" 2>/dev/null || echo invalid)"
  HTTP_ANON=1 expect_status auth-anonymous-pull "pull interop/app:1.0 without credentials -> 401" 401 - -- \
    GET "$BASE/v2/interop/app/manifests/1.0"
  local forged
  forged=$(printf 'AWS:v1.%s.%s' "$(printf 'ROOT|000000000000|||9999999999' | base64 -w0 | tr '+/' '-_' | tr -d =)" \
    AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA | base64 -w0)
  HTTP_ANON=1 expect_status auth-forged-token "GET /v2/ with a forged AWS:<token> -> 401" 401 - -- \
    GET "$BASE/v2/" -H "Authorization: Basic $forged"
  check_eq auth-forged-code "forged token gets UNAUTHORIZED" UNAUTHORIZED \
    "$(jq -r '.errors[0].code' "$HTTP_BODY" 2>/dev/null || echo invalid)"
  HTTP_ANON=1 expect_status auth-wrong-secret "GET /v2/ with the key and a wrong secret -> 401" 401 - -- \
    GET "$BASE/v2/" -u "${REG_CREDS%%:*}:wrong-secret-wrong-secret"
  expect_status auth-key-secret "GET /v2/ with key:secret -> 200" 200 - -- GET "$BASE/v2/"
  check auth-skopeo-no-creds-fails "skopeo inspect without credentials is refused" \
    bash -c "! timeout 60 skopeo inspect --tls-verify=false --no-creds docker://$REG/interop/app:1.0 >/dev/null 2>&1"
}

# ========================================================== stage: ecr ===
# The ECR API driven by the AWS CLI v2 (/usr/bin/aws from Debian's awscli; a v1 CLI may shadow `aws` on PATH),
# signing with the same root key the other stages send (REG_CREDS).
AWS_CLI=${AWS_CLI:-/usr/bin/aws}
AWS_CLI_V1=${AWS_CLI_V1:-/root/.pyenv/shims/aws}
awsecr() {
  AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-${REG_CREDS%%:*}} \
  AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-${REG_CREDS#*:}} \
  AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1} \
  AWS_PAGER="" timeout 60 "$AWS_CLI" --endpoint-url "$BASE" --no-cli-pager --output json ecr "$@"
}

# expect_aws_error ID "what" ExceptionName "message text" -- aws args...: the call must fail with that error.
expect_aws_error() {
  local id=$1 what=$2 type=$3 text=$4 out rc
  shift 5
  set +e
  out=$("${AWS_RUN:-awsecr}" "$@" 2>&1) # AWS_RUN: another CLI's function (ci/interop-settings.sh's v1)
  rc=$?
  set -e
  if ((rc != 0)) && grep -qF "($type)" <<<"$out" && grep -qF "$text" <<<"$out"; then
    pass "$id" "$what"
  else
    fail "$id" "$what" "exit $rc: $(tr '\n' ' ' <<<"$out" | cut -c1-300)"
  fi
}

ecr_login() {
  local password
  password=$(awsecr get-login-password) || return 1
  skopeo login --password-stdin --username AWS --tls-verify=false "$REG" <<<"$password"
}

stage_ecr() {
  banner "ecr: AWS CLI v2 ($AWS_CLI) + skopeo"
  [[ -x $AWS_CLI ]] || die "missing AWS CLI v2 at $AWS_CLI (Debian package awscli)"
  [[ -n ${LAYOUT:-} ]] || oci_build_images
  local repo=interop/ecr out immutable_msg
  export REGISTRY_AUTH_FILE=$WORK/auth.json

  out=$(awsecr create-repository --repository-name "$repo" 2>&1 || true)
  check_eq ecr-create "create-repository $repo" "$repo" "$(jq -r .repository.repositoryName <<<"$out" 2>/dev/null)"
  expect_aws_error ecr-create-again "create-repository again -> RepositoryAlreadyExistsException" \
    RepositoryAlreadyExistsException "already exists" -- create-repository --repository-name "$repo"

  check ecr-login "get-login-password | skopeo login --username AWS --password-stdin" ecr_login

  check ecr-push "skopeo copy oci:amd64 -> $repo:1.0" sk_copy "oci:$LAYOUT:amd64" "docker://$REG/$repo:1.0"
  check ecr-pull "skopeo copy $repo:1.0 -> oci layout" sk_copy "docker://$REG/$repo:1.0" "oci:$WORK/ecr-pulled:app"
  check_eq ecr-pull-same "pulled manifest = pushed manifest" \
    "$(sk_raw_sha "oci:$LAYOUT:amd64")" "$(sk_raw_sha "oci:$WORK/ecr-pulled:app" 2>/dev/null || true)"

  out=$(awsecr describe-images --repository-name "$repo" 2>&1 || true)
  check_eq ecr-describe "describe-images: digest of 1.0" "$APP_DIGEST" \
    "$(jq -r '.imageDetails[] | select(.imageTags // [] | index("1.0")) | .imageDigest' <<<"$out" 2>/dev/null)"
  check_eq ecr-describe-size "describe-images: imageSizeInBytes = layer sizes" \
    "$(jq '[.layers[].size] | add' "$APP_MANIFEST")" "$(jq -r '.imageDetails[0].imageSizeInBytes' <<<"$out" 2>/dev/null)"

  out=$(awsecr put-image-tag-mutability --repository-name "$repo" --image-tag-mutability IMMUTABLE 2>&1 || true)
  check_eq ecr-immutable "put-image-tag-mutability IMMUTABLE" IMMUTABLE \
    "$(jq -r .imageTagMutability <<<"$out" 2>/dev/null)"

  # umoci writes manifests without a mediaType field, so put-image names it (ECR requires one or the other)
  # arm64 goes in under its own tag, so its layers are in the repository; then moving 1.0 to it must fail
  check ecr-push-arm "skopeo copy oci:arm64 -> $repo:arm" sk_copy "oci:$LAYOUT:arm64" "docker://$REG/$repo:arm"
  immutable_msg="The image tag '1.0' already exists in the '$repo' repository and cannot be overwritten because the repository is immutable."
  expect_aws_error ecr-immutable-put-image "put-image moving 1.0 -> ImageTagAlreadyExistsException" \
    ImageTagAlreadyExistsException "$immutable_msg" -- put-image --repository-name "$repo" --image-tag 1.0 \
    --image-manifest-media-type "$OCI_MANIFEST_MT" --image-manifest "file://$(oci_blob_path "$LAYOUT" "$ARM_DIGEST")"
  set +e
  out=$(sk_copy "oci:$LAYOUT:arm64" "docker://$REG/$repo:1.0" 2>&1)
  local rc=$?
  set -e
  if ((rc != 0)) && grep -qF "$immutable_msg" <<<"$out"; then
    pass ecr-immutable-skopeo "skopeo push moving 1.0 refused with ECR's message"
  else
    fail ecr-immutable-skopeo "skopeo push moving 1.0 refused with ECR's message" \
      "exit $rc: $(tr '\n' ' ' <<<"$out" | cut -c1-300)"
  fi
  check_eq ecr-immutable-unchanged "1.0 still names the amd64 image" "$APP_DIGEST" \
    "$(sk_digest "docker://$REG/$repo:1.0" 2>/dev/null || true)"

  out=$(awsecr batch-delete-image --repository-name "$repo" --image-ids imageTag=arm 2>&1 || true)
  check_eq ecr-batch-delete "batch-delete-image imageTag=arm" "arm $ARM_DIGEST" \
    "$(jq -r '.imageIds[0] | "\(.imageTag) \(.imageDigest)"' <<<"$out" 2>/dev/null)"
  out=$(awsecr list-images --repository-name "$repo" 2>&1 || true)
  check_eq ecr-batch-delete-gone "list-images: only 1.0 left" "1.0" \
    "$(jq -r '[.imageIds[].imageTag] | join(",")' <<<"$out" 2>/dev/null)"

  stage_ecr_archive "$repo"

  expect_aws_error ecr-delete-not-empty "delete-repository without --force -> RepositoryNotEmptyException" \
    RepositoryNotEmptyException "still contains images" -- delete-repository --repository-name "$repo"
  check ecr-delete "delete-repository --force" awsecr delete-repository --repository-name "$repo" --force
  expect_aws_error ecr-deleted "describe-repositories after delete -> RepositoryNotFoundException" \
    RepositoryNotFoundException "does not exist" -- describe-repositories --repository-names "$repo"

  # Who am I: STS GetCallerIdentity, signed by the CLI v2 (query protocol) ...
  out=$(aws_with "$AWS_CLI" sts get-caller-identity 2>&1 || true)
  check_eq ecr-sts-v2 "aws sts get-caller-identity (CLI v2): the root's ARN" \
    "arn:aws:iam::000000000000:root" "$(jq -r .Arn <<<"$out" 2>/dev/null)"
  # ... and SigV4 as the AWS CLI v1 signs it, when one is installed (pyenv's here)
  if [[ -x $AWS_CLI_V1 ]] && "$AWS_CLI_V1" --version 2>&1 | grep -q '^aws-cli/1\.'; then
    out=$(aws_with "$AWS_CLI_V1" sts get-caller-identity 2>&1 || true)
    check_eq ecr-sts-v1 "aws sts get-caller-identity (CLI v1)" "arn:aws:iam::000000000000:root" \
      "$(jq -r .Arn <<<"$out" 2>/dev/null)"
    out=$(aws_with "$AWS_CLI_V1" ecr describe-registry 2>&1 || true)
    check_eq ecr-v1-describe-registry "aws ecr describe-registry (CLI v1)" 000000000000 \
      "$(jq -r .registryId <<<"$out" 2>/dev/null)"
  else
    log "no AWS CLI v1 at $AWS_CLI_V1: the v1 signature checks are skipped"
  fi
}

# The archive storage class on $1:1.0 with the AWS CLI v1 (Debian's v2, 2.9, lacks update-image-storage-class and
# the imageStatus filter): archive, the image described as ARCHIVED and refused to skopeo and /v2, restore through
# ACTIVATING to ACTIVE (the image-restore job), then pulled again byte for byte.
stage_ecr_archive() {
  local repo=$1 out status i
  if ! [[ -x $AWS_CLI_V1 ]] || ! "$AWS_CLI_V1" --version 2>&1 | grep -q '^aws-cli/1\.'; then
    log "no AWS CLI v1 at $AWS_CLI_V1: the archive checks are skipped"
    return 0
  fi
  out=$(aws_with "$AWS_CLI_V1" ecr update-image-storage-class --repository-name "$repo" --image-id imageTag=1.0 \
    --target-storage-class ARCHIVE 2>&1 || true)
  check_eq ecr-archive "update-image-storage-class ARCHIVE (CLI v1): imageStatus" "ARCHIVED $APP_DIGEST" \
    "$(jq -r '"\(.imageStatus) \(.imageId.imageDigest)"' <<<"$out" 2>/dev/null)"
  out=$(aws_with "$AWS_CLI_V1" ecr describe-images --repository-name "$repo" --filter imageStatus=ARCHIVED 2>&1 || true)
  check_eq ecr-archive-describe "describe-images --filter imageStatus=ARCHIVED: 1.0, with lastArchivedAt" \
    "$APP_DIGEST ARCHIVED true" \
    "$(jq -r '.imageDetails[0] | "\(.imageDigest) \(.imageStatus) \(.lastArchivedAt != null)"' <<<"$out" 2>/dev/null)"
  out=$(aws_with "$AWS_CLI_V1" ecr list-images --repository-name "$repo" 2>&1 || true)
  check_eq ecr-archive-list "list-images (ACTIVE only by default): empty" "0" \
    "$(jq -r '.imageIds | length' <<<"$out" 2>/dev/null)"
  check ecr-archive-skopeo "skopeo inspect of the archived 1.0 refused" bash -c \
    "! timeout 60 skopeo inspect --tls-verify=false ${REG_CREDS:+--creds '$REG_CREDS'} docker://$REG/$repo:1.0 >/dev/null 2>&1"
  expect_status ecr-archive-v2 "GET /v2/$repo/manifests/1.0 of an archived image -> 404" 404 MANIFEST_UNKNOWN -- \
    GET "$BASE/v2/$repo/manifests/1.0" -H "Accept: application/vnd.oci.image.manifest.v1+json"
  check_eq ecr-archive-v2-message "the 404 says the image is archived" 1 \
    "$(grep -c 'archived' "$HTTP_BODY" 2>/dev/null || true)"

  out=$(aws_with "$AWS_CLI_V1" ecr update-image-storage-class --repository-name "$repo" --image-id imageTag=1.0 \
    --target-storage-class STANDARD 2>&1 || true)
  status=$(jq -r .imageStatus <<<"$out" 2>/dev/null)
  if [[ $status == ACTIVATING || $status == ACTIVE ]]; then
    pass ecr-restore "update-image-storage-class STANDARD (CLI v1): $status"
  else
    fail ecr-restore "update-image-storage-class STANDARD (CLI v1)" "$(tr '\n' ' ' <<<"$out" | cut -c1-300)"
  fi
  for ((i = 0; i < 60; i++)); do
    out=$(aws_with "$AWS_CLI_V1" ecr describe-images --repository-name "$repo" --image-ids imageTag=1.0 2>&1 || true)
    status=$(jq -r '.imageDetails[0].imageStatus' <<<"$out" 2>/dev/null)
    [[ $status == ACTIVE ]] && break
    sleep 0.5
  done
  check_eq ecr-restore-active "describe-images: ACTIVE again after the restore job, with lastActivatedAt" \
    "ACTIVE true" "$(jq -r '.imageDetails[0] | "\(.imageStatus) \(.lastActivatedAt != null)"' <<<"$out" 2>/dev/null)"
  check ecr-restore-pull "skopeo copy of the restored 1.0" sk_copy "docker://$REG/$repo:1.0" "oci:$WORK/ecr-restored:app"
  check_eq ecr-restore-same "restored manifest = pushed manifest" \
    "$(sk_raw_sha "oci:$LAYOUT:amd64")" "$(sk_raw_sha "oci:$WORK/ecr-restored:app" 2>/dev/null || true)"
}

# aws_with CLI args...: one AWS CLI (v1 or v2) against the registry, with the interop credentials.
aws_with() {
  local cli=$1
  shift
  AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-${REG_CREDS%%:*}} \
  AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-${REG_CREDS#*:}} \
  AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1} \
  AWS_PAGER="" timeout 60 "$cli" --endpoint-url "$BASE" --output json "$@"
}

# ======================================================= stage: access ===
# Access policies with real clients: a second account's user is denied, then allowed after
# `aws ecr set-repository-policy`; `berth admin make-public` lets skopeo and curl pull without any credentials,
# while anonymous pushes stay refused. The second account is made with `./berth admin --data $REG_DATA` while the
# server runs (it sees policy changes made there within a second: the cache polls a generation counter).
OTHER_ACCOUNT=444455556666
berth_admin() { "$ROOT/berth" admin "$@" --data "$REG_DATA" 2>&1; }
admin_field() { sed -n "s/^$1: *//p" <<<"$2" | head -n 1; }

stage_access() {
  banner "access: policies (AWS CLI v2 + skopeo + curl, second account via berth admin)"
  [[ -x $AWS_CLI ]] || die "missing AWS CLI v2 at $AWS_CLI (Debian package awscli)"
  [[ -n ${LAYOUT:-} ]] || oci_build_images
  local repo=interop/shared out dev_key dev_secret dev_creds policy
  export REGISTRY_AUTH_FILE=$WORK/auth-access.json
  echo '{}' >"$REGISTRY_AUTH_FILE"

  awsecr create-repository --repository-name "$repo" >/dev/null 2>&1 || true
  check access-push "root pushes $repo:1.0" sk_copy "oci:$LAYOUT:amd64" "docker://$REG/$repo:1.0"

  out=$(berth_admin create-account --account "$OTHER_ACCOUNT" || true)
  check_eq access-account "berth admin create-account $OTHER_ACCOUNT" "$OTHER_ACCOUNT" "$(admin_field Account "$out")"
  out=$(berth_admin create-user --account "$OTHER_ACCOUNT" --with-key dev || true)
  dev_key=$(admin_field AccessKeyId "$out")
  dev_secret=$(admin_field SecretAccessKey "$out")
  [[ -n $dev_key && -n $dev_secret ]] || { fail access-user "create-user dev with a key" "$out"; return 0; }
  dev_creds=$dev_key:$dev_secret
  check access-identity-policy "berth admin put-user-policy (dev may use ECR)" berth_admin put-user-policy \
    --account "$OTHER_ACCOUNT" --user dev --policy-name ecr-all \
    --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}'

  AWS_ACCESS_KEY_ID=$dev_key AWS_SECRET_ACCESS_KEY=$dev_secret expect_aws_error access-denied \
    "other account's user: describe-images -> AccessDeniedException" AccessDeniedException \
    "User: arn:aws:iam::$OTHER_ACCOUNT:user/dev is not authorized to perform: ecr:DescribeImages" -- \
    describe-images --registry-id 000000000000 --repository-name "$repo"
  check access-denied-skopeo "other account's user: skopeo inspect refused" bash -c \
    "! timeout 60 skopeo inspect --tls-verify=false --creds '$dev_creds' docker://$REG/$repo:1.0 >/dev/null 2>&1"

  policy='{"Version":"2012-10-17","Statement":[{"Sid":"OtherAccountPull","Effect":"Allow","Principal":{"AWS":"'$OTHER_ACCOUNT'"},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer","ecr:BatchCheckLayerAvailability","ecr:DescribeImages"]}]}'
  out=$(awsecr set-repository-policy --repository-name "$repo" --policy-text "$policy" 2>&1 || true)
  check_eq access-set-policy "aws ecr set-repository-policy grants account $OTHER_ACCOUNT" "$repo" \
    "$(jq -r .repositoryName <<<"$out" 2>/dev/null)"
  out=$(awsecr get-repository-policy --repository-name "$repo" 2>&1 || true)
  check_eq access-get-policy "get-repository-policy returns the text" "OtherAccountPull" \
    "$(jq -r .policyText <<<"$out" 2>/dev/null | jq -r '.Statement[0].Sid' 2>/dev/null)"
  out=$(AWS_ACCESS_KEY_ID=$dev_key AWS_SECRET_ACCESS_KEY=$dev_secret \
    awsecr describe-images --registry-id 000000000000 --repository-name "$repo" 2>&1 || true)
  check_eq access-allowed "other account's user: describe-images now allowed" "$APP_DIGEST" \
    "$(jq -r '.imageDetails[0].imageDigest' <<<"$out" 2>/dev/null)"
  check access-allowed-skopeo "other account's user: skopeo pull now works" timeout 300 skopeo --insecure-policy \
    copy -q --src-tls-verify=false --src-creds "$dev_creds" "docker://$REG/$repo:1.0" "oci:$WORK/access-dev:app"
  check_eq access-allowed-same "pulled manifest = pushed manifest" "$(sk_raw_sha "oci:$LAYOUT:amd64")" \
    "$(sk_raw_sha "oci:$WORK/access-dev:app" 2>/dev/null || true)"
  check access-dev-push-refused "other account's user: push still refused (pull-only grant)" bash -c \
    "! timeout 120 skopeo --insecure-policy copy -q --dest-tls-verify=false --dest-creds '$dev_creds' oci:$LAYOUT:arm64 docker://$REG/$repo:dev >/dev/null 2>&1"

  HTTP_ANON=1 expect_status access-anon-before "anonymous manifest GET before make-public -> 401" 401 UNAUTHORIZED -- \
    GET "$BASE/v2/$repo/manifests/1.0" -H "Accept: $OCI_MANIFEST_MT"
  check access-make-public "berth admin make-public --repository $repo" berth_admin make-public --repository "$repo"
  sleep 2 # another process changed the policy: the server notices within its one-second poll
  check access-anon-skopeo "anonymous skopeo copy --src-no-creds of the public repository" timeout 300 skopeo \
    --insecure-policy copy -q --src-tls-verify=false --src-no-creds "docker://$REG/$repo:1.0" "oci:$WORK/access-anon:app"
  check_eq access-anon-same "anonymously pulled manifest = pushed manifest" "$(sk_raw_sha "oci:$LAYOUT:amd64")" \
    "$(sk_raw_sha "oci:$WORK/access-anon:app" 2>/dev/null || true)"
  HTTP_ANON=1 expect_status access-anon-curl "anonymous curl manifest GET -> 200" 200 - -- \
    GET "$BASE/v2/$repo/manifests/1.0" -H "Accept: $OCI_MANIFEST_MT"
  check access-anon-push-refused "anonymous skopeo push (--dest-no-creds) refused" bash -c \
    "! timeout 120 skopeo --insecure-policy copy -q --dest-tls-verify=false --dest-no-creds oci:$LAYOUT:arm64 docker://$REG/$repo:anon >/dev/null 2>&1"
  HTTP_ANON=1 expect_status access-anon-upload "anonymous upload POST -> 401 with challenge" 401 UNAUTHORIZED -- \
    POST "$BASE/v2/$repo/blobs/uploads/"
  check_eq access-anon-challenge "401 carries the Basic challenge" \
    "Basic realm=\"$BASE/\",service=\"ecr.amazonaws.com\"" "$(header WWW-Authenticate)"
  HTTP_ANON=1 expect_status access-anon-other-repo "anonymous pull of a private repository -> 401" 401 UNAUTHORIZED -- \
    GET "$BASE/v2/interop/app/manifests/1.0"
}

# ==================================================== stage: lifecycle ===
# Lifecycle policies end to end: images of several ages (skopeo pushes, backdated with `berth admin
# set-image-times`, which the server's test mode allows), a preview of the policy file with the CLI v2 and its
# waiter, then the policy put from the file and evaluated by the server's short lifecycle.interval: the expired
# images and the referrer of one of them answer 404, the rest are intact, and a preview of the stored policy then
# finds nothing left to expire.
lc_ago() { date -u -d "$1 days ago" +%Y-%m-%dT%H:%M:%SZ; }

stage_lifecycle() {
  banner "lifecycle: policy, preview, evaluation (AWS CLI v2 + skopeo + berth admin set-image-times)"
  [[ -x $AWS_CLI ]] || die "missing AWS CLI v2 at $AWS_CLI (Debian package awscli)"
  [[ -n ${LAYOUT:-} ]] || oci_build_images
  local repo=interop/lifecycle out policy=$WORK/lifecycle-policy.json art=$WORK/lc-artifact
  local old mid new dev ref expected got evaluated=""
  awsecr create-repository --repository-name "$repo" >/dev/null 2>&1 || true

  # four distinct images: the two architectures, each as an OCI manifest and as Docker v2s2
  check lc-push-old "skopeo copy oci:amd64 -> $repo:rel-old" sk_copy "oci:$LAYOUT:amd64" "docker://$REG/$repo:rel-old"
  check lc-push-mid "skopeo copy --format v2s2 oci:amd64 -> $repo:rel-mid" \
    sk_copy --format v2s2 "oci:$LAYOUT:amd64" "docker://$REG/$repo:rel-mid"
  check lc-push-new "skopeo copy oci:arm64 -> $repo:rel-new" sk_copy "oci:$LAYOUT:arm64" "docker://$REG/$repo:rel-new"
  check lc-push-dev "skopeo copy --format v2s2 oci:arm64 -> $repo:dev-1" \
    sk_copy --format v2s2 "oci:$LAYOUT:arm64" "docker://$REG/$repo:dev-1"
  old=$(sk_digest "docker://$REG/$repo:rel-old" 2>/dev/null || true)
  mid=$(sk_digest "docker://$REG/$repo:rel-mid" 2>/dev/null || true)
  new=$(sk_digest "docker://$REG/$repo:rel-new" 2>/dev/null || true)
  dev=$(sk_digest "docker://$REG/$repo:dev-1" 2>/dev/null || true)
  # an SBOM whose subject is rel-old: it must go with its subject
  make_artifact "$art" "$(oci_descriptor "$LAYOUT" amd64)"
  ref="sha256:$(sha256_of "$art/manifest.json")"
  check lc-ref-config "push the referrer's empty config" push_blob "$repo" "$art/empty.json"
  check lc-ref-layer "push the referrer's layer" push_blob "$repo" "$art/sbom.json"
  expect_status lc-ref-put "PUT the referrer of rel-old -> 201" 201 - -- \
    PUT "$BASE/v2/$repo/manifests/$ref" -H "Content-Type: $OCI_MANIFEST_MT" --data-binary "@$art/manifest.json"

  check lc-age-old "berth admin set-image-times: rel-old pushed 40 days ago" berth_admin set-image-times \
    --repository "$repo" --digest "$old" --pushed-at "$(lc_ago 40)"
  check lc-age-mid "berth admin set-image-times: rel-mid pushed 35 days ago" berth_admin set-image-times \
    --repository "$repo" --digest "$mid" --pushed-at "$(lc_ago 35)"
  check lc-age-dev "berth admin set-image-times: dev-1 pushed 60 days ago, pulled 2 days ago" berth_admin \
    set-image-times --repository "$repo" --digest "$dev" --pushed-at "$(lc_ago 60)" --pulled-at "$(lc_ago 2)"

  cat >"$policy" <<'JSON'
{"rules": [{"rulePriority": 1, "description": "releases older than 30 days",
            "selection": {"tagStatus": "tagged", "tagPrefixList": ["rel"], "countType": "sinceImagePushed",
                          "countUnit": "days", "countNumber": 30},
            "action": {"type": "expire"}}]}
JSON
  # the preview of the file first: with no policy stored yet the server's evaluation cannot get ahead of it
  out=$(awsecr start-lifecycle-policy-preview --repository-name "$repo" --lifecycle-policy-text "file://$policy" 2>&1 || true)
  check_eq lc-preview-start "start-lifecycle-policy-preview --lifecycle-policy-text file:// -> IN_PROGRESS" \
    IN_PROGRESS "$(jq -r .status <<<"$out" 2>/dev/null)"
  check lc-preview-wait "aws ecr wait lifecycle-policy-preview-complete" \
    awsecr wait lifecycle-policy-preview-complete --repository-name "$repo"
  out=$(awsecr get-lifecycle-policy-preview --repository-name "$repo" 2>&1 || true)
  expected=$(printf '%s\n' "$old" "$mid" "$ref" | sort | paste -sd' ')
  got=$(jq -r '[.previewResults[] | select(.action.type == "EXPIRE") | .imageDigest] | sort | join(" ")' <<<"$out" 2>/dev/null)
  check_eq lc-preview-results "get-lifecycle-policy-preview: rel-old, rel-mid and rel-old's referrer expire" \
    "$expected" "$got"
  check_eq lc-preview-rule "... each by rule 1" "1" \
    "$(jq -r '[.previewResults[].appliedRulePriority] | unique | join(",")' <<<"$out" 2>/dev/null)"
  check_eq lc-preview-summary "... summary.expiringImageTotalCount" 3 \
    "$(jq -r .summary.expiringImageTotalCount <<<"$out" 2>/dev/null)"
  out=$(awsecr get-lifecycle-policy-preview --repository-name "$repo" --filter tagStatus=UNTAGGED 2>&1 || true)
  check_eq lc-preview-filter "get-lifecycle-policy-preview --filter tagStatus=UNTAGGED: the referrer" "$ref" \
    "$(jq -r '[.previewResults[].imageDigest] | join(" ")' <<<"$out" 2>/dev/null)"

  out=$(awsecr put-lifecycle-policy --repository-name "$repo" --lifecycle-policy-text "file://$policy" 2>&1 || true)
  check_eq lc-put "put-lifecycle-policy --lifecycle-policy-text file://" "$repo" \
    "$(jq -r .repositoryName <<<"$out" 2>/dev/null)"
  for _ in $(seq 1 60); do
    evaluated=$(awsecr get-lifecycle-policy --repository-name "$repo" 2>/dev/null | jq -r '.lastEvaluatedAt // empty' || true)
    [[ -n $evaluated ]] && break
    sleep 1
  done
  check_eq lc-evaluated "get-lifecycle-policy reports lastEvaluatedAt (lifecycle.interval 5s)" yes \
    "$([[ -n $evaluated ]] && echo yes || echo "no, after 60 s")"
  local d
  for d in "rel-old:$old" "rel-mid:$mid" "referrer:$ref"; do
    expect_status "lc-gone-${d%%:*}" "${d%%:*} expired: GET manifest by digest -> 404" 404 MANIFEST_UNKNOWN -- \
      GET "$BASE/v2/$repo/manifests/${d#*:}" -H "Accept: $OCI_MANIFEST_MT" \
      -H "Accept: application/vnd.docker.distribution.manifest.v2+json"
  done
  check lc-gone-skopeo "skopeo inspect $repo:rel-old fails (expired)" bash -c \
    "! timeout 60 skopeo inspect --tls-verify=false ${SK_CREDS[*]} docker://$REG/$repo:rel-old >/dev/null 2>&1"
  check_eq lc-kept-new "rel-new intact" "$new" "$(sk_digest "docker://$REG/$repo:rel-new" 2>/dev/null || true)"
  check_eq lc-kept-dev "dev-1 intact (not a release)" "$dev" "$(sk_digest "docker://$REG/$repo:dev-1" 2>/dev/null || true)"
  check lc-kept-pull "skopeo copy $repo:rel-new -> oci layout" sk_copy "docker://$REG/$repo:rel-new" "oci:$WORK/lc-pulled:new"

  # the stored policy previewed now finds nothing left
  out=$(awsecr start-lifecycle-policy-preview --repository-name "$repo" 2>&1 || true)
  check_eq lc-preview-stored "start-lifecycle-policy-preview (the stored policy)" IN_PROGRESS \
    "$(jq -r .status <<<"$out" 2>/dev/null)"
  awsecr wait lifecycle-policy-preview-complete --repository-name "$repo" >/dev/null 2>&1 || true
  out=$(awsecr get-lifecycle-policy-preview --repository-name "$repo" 2>&1 || true)
  check_eq lc-preview-after "... after the evaluation nothing is left to expire" 0 \
    "$(jq -r .summary.expiringImageTotalCount <<<"$out" 2>/dev/null)"
}

# ================================================================= main ===
main() {
  local s
  for s in skopeo umoci jq curl setsid; do command -v "$s" >/dev/null || die "missing tool: $s"; done
  start_registry
  for s in $INTEROP_STAGES; do
    declare -F "stage_$s" >/dev/null || die "unknown stage: $s"
    "stage_$s"
  done
  summary
}

main "$@"
