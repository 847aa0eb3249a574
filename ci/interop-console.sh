# shellcheck shell=bash
# Interop stage "console": the web console in a real browser, Playwright (npm playwright-core, console-e2e/)
# driving Debian's Chromium. It signs in with the keyboard, creates a repository, sees an image skopeo pushed, edits
# and previews a lifecycle policy, reads the findings of the scanning stage's Debian 11 image (pushed to a
# repository of its own), reads the audit trail, and checks labels and keyboard focus. Then an IAM user signs in with
# its console password, edits a repository policy (an invalid one first), edits settings, pages through more than
# 200 repositories and reads the replication rules. Screenshots go to
# $CONSOLE_SHOTS (default target/console-shots in the checkout, which outlives $WORK: the CI artefacts).
# Sourced by ci/interop.sh.

stage_console() {
  banner "console: Playwright + Chromium ($(command -v chromium || echo 'no chromium'))"
  if ! command -v chromium >/dev/null || ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    fail console-tools "chromium, node and npm" "missing: apt-get install chromium nodejs npm"
    return
  fi
  if [[ ! -d $ROOT/console-e2e/node_modules/playwright-core ]]; then
    check console-npm "npm ci in console-e2e (playwright-core)" npm ci --prefix "$ROOT/console-e2e" --no-audit --no-fund
  fi
  [[ -n ${LAYOUT:-} ]] || oci_build_images
  export REGISTRY_AUTH_FILE=$WORK/auth.json
  ecr_login >/dev/null 2>&1 || true
  check console-push "skopeo push of interop/console:1.0" sk_copy "oci:$LAYOUT:amd64" "docker://$REG/interop/console:1.0"
  # findings: the scanning stage's Debian 11 image and DSA excerpt, in a repository of this stage that scans on push
  "$ROOT/berth" vulndb import "$SCAN_DATA" --data "$REG_DATA" >/dev/null 2>&1 || true
  awsecr create-repository --repository-name interop/console-scan \
    --image-scanning-configuration scanOnPush=true >/dev/null 2>&1 || true
  make_bullseye_image "$WORK/console-scan-layout" bullseye
  check console-scan-push "skopeo push of the bullseye image to interop/console-scan (scan on push)" sk_copy \
    "oci:$WORK/console-scan-layout:bullseye" "docker://$REG/interop/console-scan:11"
  for _ in $(seq 1 30); do # the push's scan is queued by an event trigger within a second
    awsecr describe-image-scan-findings --repository-name interop/console-scan --image-id imageTag=11 >/dev/null 2>&1 \
      && break
    sleep 1
  done
  awsecr wait image-scan-complete --repository-name interop/console-scan --image-id imageTag=11 >/dev/null 2>&1 || true
  # an IAM user allowed ECR, with a console password (on stdin: never an argument), and a replication rule to show
  local iam_password="console-$RANDOM-password" account
  berth_admin create-user console-user >/dev/null || true
  berth_admin put-user-policy --user console-user --policy-name ecr-all \
    --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}' >/dev/null
  check console-password "berth admin set-console-password console-user (password on stdin)" \
    bash -c 'printf "%s\n" "$1" | "$2/berth" admin set-console-password console-user --data "$3"' _ \
    "$iam_password" "$ROOT" "$REG_DATA"
  account=$(berth_admin list | sed -n 's/^account \([0-9]\{12\}\):$/\1/p' | tail -n 1)
  awsecr put-replication-configuration --replication-configuration '{"rules":[{"destinations":[{"region":
    "us-west-2","registryId":"111122223333"}],"repositoryFilters":[{"filter":"interop/never-replicated",
    "filterType":"PREFIX_MATCH"}]}]}' >/dev/null 2>&1 || true
  local shots=${CONSOLE_SHOTS:-$ROOT/target/console-shots} out line
  mkdir -p "$shots"
  out=$(BERTH_URL="http://$REG" BERTH_KEY=${REG_CREDS%%:*} BERTH_SECRET=${REG_CREDS#*:} SHOTS=$shots \
    IMAGE_REPO=interop/console IMAGE_TAG=1.0 SCAN_REPO=interop/console-scan FINDING=DSA-5343-1 \
    IAM_ACCOUNT=$account IAM_USER=console-user IAM_PASSWORD=$iam_password \
    REPLICATION_DEST="us-west-2 / 111122223333" \
    timeout 300 node "$ROOT/console-e2e/console.mjs" 2>&1 || true)
  awsecr put-replication-configuration --replication-configuration '{"rules":[]}' >/dev/null 2>&1 || true
  if ! grep -qE '^(PASS|FAIL) ' <<<"$out"; then
    fail console-run "the browser test ran" "$(tail -n 5 <<<"$out" | tr '\n' ' ' | cut -c1-400)"
    return
  fi
  while IFS= read -r line; do
    case $line in
      PASS\ *) line=${line#PASS }; pass "${line%% *}" "${line#* }" ;;
      FAIL\ *) line=${line#FAIL }; fail "${line%% *}" "${line#* }" ;;
    esac
  done <<<"$out"
  log "screenshots: $(ls "$shots" | tr '\n' ' ')in $shots"
}
