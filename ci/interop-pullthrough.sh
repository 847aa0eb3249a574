# shellcheck shell=bash
# Interop stage "ptc": the pull-through cache with CNCF distribution (Debian docker-registry, open) as the
# upstream, skopeo pulling through Berth: the first pull fills the cache byte-identically, later pulls are served
# with the upstream stopped. validate-pull-through-cache-rule needs the AWS CLI v1 (Debian's v2.9 predates it). Sourced by ci/interop.sh, which defines awsecr, sk_copy, sk_inspect and the checks.

stage_ptc() {
  banner "ptc: pull-through cache, CNCF distribution upstream, skopeo through Berth"
  if ! command -v docker-registry >/dev/null; then
    fail ptc-upstream "CNCF distribution (docker-registry) as the upstream" "not installed"
    return
  fi
  [[ -n ${LAYOUT:-} ]] || oci_build_images
  local up_port up_data up_pid up out digest deadline
  up_port=$(free_port)
  up_data=$WORK/ptc-upstream
  mkdir -p "$up_data"
  # distribution reads REGISTRY_* variables as configuration: the skopeo auth file earlier stages export
  # (REGISTRY_AUTH_FILE) would be taken for an auth section and stop it from starting
  (unset REGISTRY_AUTH_FILE; REG_PORT=$up_port REG_DATA=$up_data exec setsid bash "$ROOT/ci/distribution-registry.sh") \
    >"$WORK/ptc-upstream.log" 2>&1 </dev/null &
  up_pid=$!
  up=127.0.0.1:$up_port
  deadline=$((SECONDS + 30))
  until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$up/v2/" || true) == 200 ]]; do
    ((SECONDS < deadline)) || { fail ptc-upstream "distribution answers on $up" "no 200 on /v2/"; return; }
    sleep 0.3
  done
  check ptc-seed "skopeo push to the upstream (distribution)" timeout 300 skopeo --insecure-policy copy -q \
    --dest-tls-verify=false "oci:$LAYOUT:amd64" "docker://$up/lib/app:1.0"

  out=$(awsecr create-pull-through-cache-rule --ecr-repository-prefix ptc --upstream-registry-url "http://$up" \
    2>&1 || true)
  check_eq ptc-rule "create-pull-through-cache-rule ptc -> http://$up" ptc \
    "$(jq -r .ecrRepositoryPrefix <<<"$out" 2>/dev/null)"
  out=$(aws_with "$AWS_CLI_V1" ecr validate-pull-through-cache-rule --ecr-repository-prefix ptc 2>&1 || true)
  check_eq ptc-validate "validate-pull-through-cache-rule: the upstream answers" true \
    "$(jq -r .isValid <<<"$out" 2>/dev/null)"

  local t0 t1 t2 t3
  t0=$(date +%s%N)
  timeout 300 skopeo --insecure-policy copy -q --src-tls-verify=false "docker://$up/lib/app:1.0" \
    "dir:$WORK/ptc-direct" >/dev/null 2>&1 || true
  t1=$(date +%s%N)
  check ptc-first-pull "skopeo pull of $REG/ptc/lib/app:1.0 (first: from the upstream)" \
    sk_copy "docker://$REG/ptc/lib/app:1.0" "dir:$WORK/ptc-pulled"
  t2=$(date +%s%N)
  sk_copy "docker://$REG/ptc/lib/app:1.0" "dir:$WORK/ptc-cached" >/dev/null 2>&1 || true
  t3=$(date +%s%N)
  log "skopeo pull times: straight from the upstream $(((t1 - t0) / 1000000)) ms, first pull through Berth" \
    "$(((t2 - t1) / 1000000)) ms, cached pull $(((t3 - t2) / 1000000)) ms"
  check_eq ptc-same-manifest "manifest through Berth = the upstream's" \
    "$(timeout 60 skopeo inspect --tls-verify=false --raw "docker://$up/lib/app:1.0" | sha256_stdin)" \
    "$(sk_raw_sha "docker://$REG/ptc/lib/app:1.0")"
  digest=$(sk_digest "docker://$REG/ptc/lib/app:1.0" 2>/dev/null || true)
  out=$(awsecr describe-repositories --repository-names ptc/lib/app 2>&1 || true)
  check_eq ptc-repo "the first pull created ptc/lib/app" ptc/lib/app \
    "$(jq -r '.repositories[0].repositoryName' <<<"$out" 2>/dev/null)"

  kill -TERM -- "-$up_pid" 2>/dev/null || kill -TERM "$up_pid" 2>/dev/null || true
  wait "$up_pid" 2>/dev/null || true
  check ptc-offline-tag "upstream stopped: the tag still pulls" \
    sk_copy "docker://$REG/ptc/lib/app:1.0" "dir:$WORK/ptc-offline-tag"
  check ptc-offline-digest "upstream stopped: the digest still pulls" \
    sk_copy "docker://$REG/ptc/lib/app@$digest" "dir:$WORK/ptc-offline-digest"
  out=$(aws_with "$AWS_CLI_V1" ecr validate-pull-through-cache-rule --ecr-repository-prefix ptc 2>&1 || true)
  check_eq ptc-validate-down "validate-pull-through-cache-rule with the upstream stopped" false \
    "$(jq -r .isValid <<<"$out" 2>/dev/null)"
  awsecr delete-pull-through-cache-rule --ecr-repository-prefix ptc >/dev/null 2>&1 || true
  ptc_credentials
}

# The credentials of a rule: CNCF distribution with htpasswd Basic auth as the upstream, the login stored with
# `aws secretsmanager create-secret --endpoint-url` under ecr-pullthroughcache/, a rule naming it, skopeo pulling
# through Berth (--credential-arn with the v1 CLI: Debian's v2.9 predates it). A secret with a wrong
# password makes the rule invalid; a credential-arn naming no secret is refused.
ptc_credentials() {
  local up_port up_data up_pid up out arn bad deadline
  up_port=$(free_port)
  up_data=$WORK/ptc-auth-upstream
  mkdir -p "$up_data"
  htpasswd -Bbc "$up_data/htpasswd" ptcuser 'ptc-Pass-1' >/dev/null 2>&1
  (unset REGISTRY_AUTH_FILE; REG_PORT=$up_port REG_DATA=$up_data REG_HTPASSWD=$up_data/htpasswd \
    exec setsid bash "$ROOT/ci/distribution-registry.sh") >"$WORK/ptc-auth-upstream.log" 2>&1 </dev/null &
  up_pid=$!
  up=127.0.0.1:$up_port
  deadline=$((SECONDS + 30))
  until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$up/v2/" || true) == 401 ]]; do
    ((SECONDS < deadline)) || { fail ptc-auth-upstream "distribution with htpasswd answers 401" "no 401"; return; }
    sleep 0.3
  done
  check ptc-auth-seed "skopeo push to the htpasswd upstream" timeout 300 skopeo --insecure-policy copy -q \
    --dest-tls-verify=false --dest-creds 'ptcuser:ptc-Pass-1' "oci:$LAYOUT:amd64" "docker://$up/lib/secret:1.0"

  out=$(aws_with "$AWS_CLI_V1" secretsmanager create-secret --name ecr-pullthroughcache/interop \
    --secret-string '{"username":"ptcuser","accessToken":"ptc-Pass-1"}' 2>&1 || true)
  arn=$(jq -r .ARN <<<"$out" 2>/dev/null || true)
  check_eq ptc-secret "secretsmanager create-secret ecr-pullthroughcache/interop: an ARN" yes \
    "$([[ $arn =~ ^arn:aws:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:ecr-pullthroughcache/interop-[A-Za-z0-9]{6}$ ]] \
      && echo yes || echo "$out")"
  out=$(aws_with "$AWS_CLI_V1" secretsmanager create-secret --name ecr-pullthroughcache/wrong \
    --secret-string '{"username":"ptcuser","accessToken":"nope"}' 2>&1 || true)
  bad=$(jq -r .ARN <<<"$out" 2>/dev/null || true)
  out=$(aws_with "$AWS_CLI_V1" secretsmanager describe-secret --secret-id ecr-pullthroughcache/interop 2>&1 || true)
  check_eq ptc-secret-describe "describe-secret finds it by name" "$arn" "$(jq -r .ARN <<<"$out" 2>/dev/null)"

  # created with the v2 CLI (the v1 CLI would fetch an http:// value as a URL parameter), then given its
  # credential with the v1 CLI
  awsecr create-pull-through-cache-rule --ecr-repository-prefix ptcauth --upstream-registry-url "http://$up" \
    >/dev/null 2>&1 || true
  out=$(awsv1 update-pull-through-cache-rule --ecr-repository-prefix ptcauth --credential-arn "$bad" 2>&1 || true)
  check_eq ptc-auth-rule "update-pull-through-cache-rule --credential-arn (the wrong password)" "$bad" \
    "$(jq -r .credentialArn <<<"$out" 2>/dev/null)"
  out=$(aws_with "$AWS_CLI_V1" ecr validate-pull-through-cache-rule --ecr-repository-prefix ptcauth 2>&1 || true)
  check_eq ptc-auth-validate-bad "validate-pull-through-cache-rule: the wrong password is refused" false \
    "$(jq -r .isValid <<<"$out" 2>/dev/null)"
  awsv1 update-pull-through-cache-rule --ecr-repository-prefix ptcauth --credential-arn "$arn" >/dev/null 2>&1 \
    || true
  out=$(aws_with "$AWS_CLI_V1" ecr validate-pull-through-cache-rule --ecr-repository-prefix ptcauth 2>&1 || true)
  check_eq ptc-auth-validate "validate-pull-through-cache-rule: logs in with the secret" true \
    "$(jq -r .isValid <<<"$out" 2>/dev/null)"
  check ptc-auth-pull "skopeo pull of $REG/ptcauth/lib/secret:1.0 through Berth (Basic upstream)" \
    sk_copy "docker://$REG/ptcauth/lib/secret:1.0" "dir:$WORK/ptc-auth-pulled"
  check_eq ptc-auth-same "manifest through Berth = the upstream's" \
    "$(timeout 60 skopeo inspect --tls-verify=false --creds 'ptcuser:ptc-Pass-1' --raw \
      "docker://$up/lib/secret:1.0" | sha256_stdin)" "$(sk_raw_sha "docker://$REG/ptcauth/lib/secret:1.0")"
  expect_v1_error ptc-auth-missing "a credential-arn naming no secret" SecretNotFoundException "was not found" -- \
    update-pull-through-cache-rule --ecr-repository-prefix ptcauth \
    --credential-arn "${arn%:*}:ecr-pullthroughcache/absent-AbCdEf"

  kill -TERM -- "-$up_pid" 2>/dev/null || kill -TERM "$up_pid" 2>/dev/null || true
  wait "$up_pid" 2>/dev/null || true
  awsecr delete-pull-through-cache-rule --ecr-repository-prefix ptcauth >/dev/null 2>&1 || true
  aws_with "$AWS_CLI_V1" secretsmanager delete-secret --secret-id ecr-pullthroughcache/wrong \
    --force-delete-without-recovery >/dev/null 2>&1 || true
}
