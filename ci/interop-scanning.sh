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
}
