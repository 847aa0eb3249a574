# shellcheck shell=bash
# Interop stage "scanning": vulnerability data imported with `berth vulndb import`, a Debian 11 image built with
# umoci and pushed with skopeo, scanned on push, and the results read with the AWS CLI v2 (its waiter included).
# The data is the excerpt of the real DSA list that ScanningIT uses (DSA-5343-1 openssl, DSA-5338-1 cinder).
# Sourced by ci/interop.sh, which defines awsecr, expect_aws_error, sk_copy, http and the check helpers.

SCAN_FIXTURES=$ROOT/berth-server/src/test/resources/scanning
SCAN_DATA=$SCAN_FIXTURES/DSA-list-excerpt

# make_bullseye_image LAYOUT TAG: Debian 11's os-release and a dpkg status with openssl and libssl1.1 at
# 1.1.1n-0+deb11u3 (DSA-5343-1 fixes them in 1.1.1n-0+deb11u4) and zlib1g (which no advisory names).
make_bullseye_image() {
  local layout=$1 tag=$2 bundle
  [[ -f $layout/index.json ]] || umoci init --layout "$layout"
  umoci new --image "$layout:$tag"
  bundle=$(mktemp -d "${TMPDIR:-/tmp}/bundle.XXXXXX")
  rmdir "$bundle"
  umoci unpack --image "$layout:$tag" "$bundle" >/dev/null
  mkdir -p "$bundle/rootfs/etc" "$bundle/rootfs/var/lib/dpkg"
  cp "$SCAN_FIXTURES/bullseye-os-release" "$bundle/rootfs/etc/os-release"
  cp "$SCAN_FIXTURES/bullseye-dpkg-status" "$bundle/rootfs/var/lib/dpkg/status"
  umoci repack --image "$layout:$tag" "$bundle" >/dev/null
  rm -rf "$bundle"
  umoci config --image "$layout:$tag" --os linux --architecture amd64 >/dev/null
  umoci gc --layout "$layout"
}

stage_scanning() {
  banner "scanning: berth vulndb import, scan on push, AWS CLI v2 ($AWS_CLI) + skopeo"
  export REGISTRY_AUTH_FILE=$WORK/auth.json
  ecr_login >/dev/null 2>&1 || true
  local repo=interop/scan out digest layout=$WORK/scan-layout

  out=$("$ROOT/berth" vulndb import "$SCAN_DATA" --data "$REG_DATA" 2>&1 || true)
  check_eq scan-import "berth vulndb import of the DSA excerpt: source" debian-dsa \
    "$(grep -o 'debian-dsa' <<<"$out" | head -n 1)"
  out=$("$ROOT/berth" vulndb status --data "$REG_DATA" 2>&1 || true)
  check_eq scan-status "berth vulndb status lists the source" debian-dsa "$(grep -o 'debian-dsa' <<<"$out" | head -n 1)"

  out=$(awsecr put-registry-scanning-configuration --scan-type BASIC \
    --rules '[{"scanFrequency":"SCAN_ON_PUSH","repositoryFilters":[{"filter":"interop/scan","filterType":"WILDCARD"}]}]' \
    2>&1 || true)
  check_eq scan-config "put-registry-scanning-configuration BASIC, SCAN_ON_PUSH interop/scan" BASIC \
    "$(jq -r .registryScanningConfiguration.scanType <<<"$out" 2>/dev/null)"
  check scan-create "create-repository $repo" awsecr create-repository --repository-name "$repo"

  make_bullseye_image "$layout" bullseye
  check scan-push "skopeo push of the bullseye image" sk_copy "oci:$layout:bullseye" "docker://$REG/$repo:11"
  digest=$(sk_digest "docker://$REG/$repo:11" 2>/dev/null || true)

  for _ in $(seq 1 30); do # the push's scan is queued by an event trigger within a second
    awsecr describe-image-scan-findings --repository-name "$repo" --image-id imageTag=11 >/dev/null 2>&1 && break
    sleep 1
  done
  check scan-wait "aws ecr wait image-scan-complete" awsecr wait image-scan-complete --repository-name "$repo" \
    --image-id imageTag=11
  out=$(awsecr describe-image-scan-findings --repository-name "$repo" --image-id imageTag=11 2>&1 || true)
  check_eq scan-findings "describe-image-scan-findings: exactly DSA-5343-1 for openssl and libssl1.1" \
    "DSA-5343-1 libssl1.1,DSA-5343-1 openssl" \
    "$(jq -r '[.imageScanFindings.findings[] | "\(.name) \(.attributes[] | select(.key=="package_name") | .value)"] | sort | join(",")' <<<"$out" 2>/dev/null)"
  check_eq scan-fixed "... fixed in 1.1.1n-0+deb11u4" "1.1.1n-0+deb11u4" \
    "$(jq -r '[.imageScanFindings.findings[0].attributes[] | select(.key=="fixed_in_version") | .value][0]' <<<"$out" 2>/dev/null)"
  out=$(awsecr describe-images --repository-name "$repo" --image-ids imageTag=11 2>&1 || true)
  check_eq scan-describe-images "describe-images: imageScanStatus" COMPLETE \
    "$(jq -r '.imageDetails[0].imageScanStatus.status' <<<"$out" 2>/dev/null)"
  expect_aws_error scan-quota "start-image-scan right after -> LimitExceededException" LimitExceededException \
    "scan quota" -- start-image-scan --repository-name "$repo" --image-id imageTag=11
  out=$(awsecr batch-get-repository-scanning-configuration --repository-names "$repo" 2>&1 || true)
  check_eq scan-effective "batch-get-repository-scanning-configuration: SCAN_ON_PUSH" SCAN_ON_PUSH \
    "$(jq -r '.scanningConfigurations[0].scanFrequency' <<<"$out" 2>/dev/null)"
  http GET "$BASE/v2/$repo/referrers/$digest"
  check_eq scan-sbom "the SBOM is a referrer of the image" "application/vnd.cyclonedx+json" \
    "$(jq -r '.manifests[0].artifactType' "$HTTP_BODY" 2>/dev/null)"

  awsecr put-registry-scanning-configuration --scan-type BASIC >/dev/null 2>&1 || true
  check scan-cleanup "delete-repository --force $repo" awsecr delete-repository --repository-name "$repo" --force
  scan_bookworm
}

# A real Debian 12 image (debootstrap minbase, cached: ci/bookworm-image.sh) scanned against the real Debian lists
# in /work/shared/vulndata (PROVENANCE.md). Those stop in April 2023, before bookworm, so the DSA list gets two
# records in its own format prepended, made up here and named so: DSA-9999-1 fixes glibc in one revision past the
# image's (libc6 and libc-bin, binaries of source glibc, are affected) and DSA-9998-1 fixes zlib in exactly the
# image's version (not affected). Everything else must find nothing.
scan_bookworm() {
  local vulndata=${BERTH_VULNDATA:-/work/shared/vulndata} layout repo=interop/bookworm out glibc zlib t0 packages
  if ! layout=$("$ROOT/ci/bookworm-image.sh"); then
    log "scan-bookworm: no bookworm image here (needs debootstrap, umoci and root once, then cached): skipped"
    return
  fi
  if [[ ! -f $vulndata/debian/DSA-list ]]; then
    log "scan-bookworm: no $vulndata/debian/DSA-list: skipped"
    return
  fi
  umoci unpack --image "$layout:12" "$WORK/bookworm-bundle" >/dev/null 2>&1 || true
  glibc=$(awk '/^Package: /{p=$2} /^Version: /{if (p == "libc6") print $2}'     "$WORK/bookworm-bundle/rootfs/var/lib/dpkg/status")
  zlib=$(awk '/^Package: /{p=$2} /^Version: /{if (p == "zlib1g") print $2}'     "$WORK/bookworm-bundle/rootfs/var/lib/dpkg/status")
  packages=$(grep -c '^Package: ' "$WORK/bookworm-bundle/rootfs/var/lib/dpkg/status")
  rm -rf "$WORK/bookworm-bundle"
  {
    printf '[01 Dec 2026] DSA-9999-1 glibc - security update (made up by the interop stage)\n'
    printf '\t{CVE-2099-0001}\n\t[bookworm] - glibc %s+1\n' "$glibc"
    printf '[01 Dec 2026] DSA-9998-1 zlib - security update (made up by the interop stage)\n'
    printf '\t{CVE-2099-0002}\n\t[bookworm] - zlib %s\n' "$zlib"
    cat "$vulndata/debian/DSA-list"
  } >"$WORK/DSA-list-bookworm"
  "$ROOT/berth" vulndb import "$WORK/DSA-list-bookworm" --data "$REG_DATA" >/dev/null 2>&1 || true
  "$ROOT/berth" vulndb import "$vulndata/debian/DLA-list" --data "$REG_DATA" >/dev/null 2>&1 || true
  out=$("$ROOT/berth" vulndb status --data "$REG_DATA" 2>&1 || true)
  check_eq scan-bw-import "berth vulndb import of the real DSA list (+2 made up) and DLA list: their sources" \
    "debian-dla debian-dsa Debian:bookworm 2" "$(grep -o '^debian-d[sl]a' <<<"$out" | sort | tr '\n' ' ')$(grep -o \
    'Debian:bookworm [0-9]*' <<<"$out" | head -n 1)"
  awsecr put-registry-scanning-configuration --scan-type BASIC --rules \
    '[{"scanFrequency":"SCAN_ON_PUSH","repositoryFilters":[{"filter":"interop/bookworm","filterType":"WILDCARD"}]}]' \
    >/dev/null 2>&1 || true
  awsecr create-repository --repository-name "$repo" >/dev/null 2>&1 || true
  check scan-bw-push "skopeo push of the debootstrap bookworm image" sk_copy "oci:$layout:12" "docker://$REG/$repo:12"
  t0=$(date +%s%N)
  for _ in $(seq 1 60); do
    out=$(awsecr describe-images --repository-name "$repo" --image-ids imageTag=12 2>&1 || true)
    [[ $(jq -r '.imageDetails[0].imageScanStatus.status' <<<"$out" 2>/dev/null) == COMPLETE ]] && break
    sleep 0.2
  done
  log "bookworm scan on push: COMPLETE $((($(date +%s%N) - t0) / 1000000)) ms after the push returned"
  out=$(awsecr describe-image-scan-findings --repository-name "$repo" --image-id imageTag=12 2>&1 || true)
  check_eq scan-bw-findings "bookworm findings: DSA-9999-1 for libc-bin and libc6 only (none from the real lists)" \
    "DSA-9999-1 libc-bin,DSA-9999-1 libc6" \
    "$(jq -r '[.imageScanFindings.findings[] | "\(.name) \(.attributes[] | select(.key=="package_name") | .value)"] | sort | join(",")' <<<"$out" 2>/dev/null)"
  check_eq scan-bw-version "... at the image's glibc version $glibc" "$glibc" \
    "$(jq -r '[.imageScanFindings.findings[0].attributes[] | select(.key=="package_version") | .value][0]' <<<"$out" 2>/dev/null)"
  http GET "$BASE/v2/$repo/referrers/$(sk_digest "docker://$REG/$repo:12" 2>/dev/null || true)"
  out=$(jq -r '.manifests[0].digest' "$HTTP_BODY" 2>/dev/null || true)
  http GET "$BASE/v2/$repo/manifests/$out" -H "Accept: application/vnd.oci.image.manifest.v1+json"
  out=$(jq -r '.layers[0].digest' "$HTTP_BODY" 2>/dev/null || true)
  http GET "$BASE/v2/$repo/blobs/$out"
  check_eq scan-bw-sbom "the SBOM lists every dpkg package of the image ($packages)" "$packages" \
    "$(jq '[.components[] | select(.purl // "" | startswith("pkg:deb/"))] | length' "$HTTP_BODY" 2>/dev/null)"
  awsecr put-registry-scanning-configuration --scan-type BASIC >/dev/null 2>&1 || true
  awsecr delete-repository --repository-name "$repo" --force >/dev/null 2>&1 || true
}
