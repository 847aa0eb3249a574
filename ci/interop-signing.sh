# shellcheck shell=bash
# Interop stage "signing": managed signing with the AWS CLI v1 (Debian's v2 lacks the signer and signing
# commands): aws signer put-signing-profile, aws ecr put-signing-configuration, a skopeo push, polling
# describe-image-signing-status, the signature in the referrers list; then verification on pull with
# berth admin signing require (skopeo pulls the signed image, is refused the unsigned one) and berth admin signing
# verify. Prints the signing latency after the push. Then per region: eu-west-1's profile, requirement and secret
# (--region eu-west-1) are not us-east-1's, and their ARNs name eu-west-1.
# Sourced by ci/interop.sh, which defines aws_with, sk_copy, sk_digest, http and the check helpers.

stage_signing() {
  banner "signing: AWS CLI v1 ($AWS_CLI_V1) signer + ecr managed signing, skopeo"
  if ! [[ -x $AWS_CLI_V1 ]] || ! "$AWS_CLI_V1" --version 2>&1 | grep -q '^aws-cli/1\.'; then
    fail sign-cli "the AWS CLI v1 at $AWS_CLI_V1" "not installed: the signing stage needs it"
    return
  fi
  export REGISTRY_AUTH_FILE=$WORK/auth.json
  ecr_login >/dev/null 2>&1 || true
  local repo=interop/signed plain=interop/unsigned out arn digest layout=$WORK/sign-layout start end status

  out=$(aws_with "$AWS_CLI_V1" signer put-signing-profile --profile-name interop_profile \
    --platform-id Notation-OCI-SHA384-ECDSA --signature-validity-period value=12,type=MONTHS 2>&1 || true)
  arn=$(jq -r .arn <<<"$out" 2>/dev/null)
  check_eq sign-profile "aws signer put-signing-profile: the profile ARN" \
    "arn:aws:signer:us-east-1:000000000000:/signing-profiles/interop_profile" "$arn"
  out=$(aws_with "$AWS_CLI_V1" signer get-signing-profile --profile-name interop_profile 2>&1 || true)
  check_eq sign-profile-get "aws signer get-signing-profile: Active" Active "$(jq -r .status <<<"$out" 2>/dev/null)"
  out=$(aws_with "$AWS_CLI_V1" signer list-signing-platforms 2>&1 || true)
  check_eq sign-platforms "aws signer list-signing-platforms" Notation-OCI-SHA384-ECDSA \
    "$(jq -r '.platforms[0].platformId' <<<"$out" 2>/dev/null)"
  out=$(aws_with "$AWS_CLI_V1" signer get-signing-profile --profile-name no_such_profile 2>&1 || true)
  check_eq sign-profile-missing "get-signing-profile of a missing profile -> ResourceNotFoundException" 1 \
    "$(grep -c 'ResourceNotFoundException' <<<"$out")"

  out=$(aws_with "$AWS_CLI_V1" ecr put-signing-configuration --signing-configuration \
    "{\"rules\":[{\"signingProfileArn\":\"$arn\",\"repositoryFilters\":[{\"filter\":\"$repo\",\"filterType\":\"WILDCARD_MATCH\"}]}]}" \
    2>&1 || true)
  check_eq sign-config "aws ecr put-signing-configuration" "$arn" \
    "$(jq -r '.signingConfiguration.rules[0].signingProfileArn' <<<"$out" 2>/dev/null)"
  out=$(aws_with "$AWS_CLI_V1" ecr put-signing-configuration --signing-configuration \
    '{"rules":[{"signingProfileArn":"arn:aws:signer:us-east-1:000000000000:/signing-profiles/nope_nope"}]}' 2>&1 || true)
  check_eq sign-config-unknown "put-signing-configuration with an unknown profile -> InvalidParameterException" 1 \
    "$(grep -c 'InvalidParameterException' <<<"$out")"

  make_umoci_image "$layout" signed amd64
  check sign-push "skopeo push to $repo" sk_copy "oci:$layout:signed" "docker://$REG/$repo:1.0"
  start=$(date +%s%N)
  digest=$(sk_digest "docker://$REG/$repo:1.0" 2>/dev/null || true)
  status=""
  for _ in $(seq 1 300); do
    out=$(aws_with "$AWS_CLI_V1" ecr describe-image-signing-status --repository-name "$repo" \
      --image-id imageTag=1.0 2>/dev/null || true)
    status=$(jq -r '.signingStatuses[0].status // empty' <<<"$out" 2>/dev/null)
    [[ -n $status && $status != IN_PROGRESS ]] && break
    sleep 0.1
  done
  end=$(date +%s%N)
  check_eq sign-status "aws ecr describe-image-signing-status: COMPLETE" COMPLETE "$status"
  log "signing latency after the push (push done to COMPLETE, polled every 0.1 s): $(((end - start) / 1000000)) ms"
  http GET "$BASE/v2/$repo/referrers/$digest"
  check_eq sign-referrer "the referrers list shows the Notary Project signature" \
    "application/vnd.cncf.notary.signature" "$(jq -r '.manifests[0].artifactType' "$HTTP_BODY" 2>/dev/null)"
  out=$(aws_with "$AWS_CLI_V1" signer list-signing-jobs 2>&1 || true)
  check_eq sign-jobs "aws signer list-signing-jobs: the push's job Succeeded" Succeeded \
    "$(jq -r '.jobs[0].status' <<<"$out" 2>/dev/null)"

  # verification on pull
  check sign-plain-push "skopeo push to $plain (no rule: unsigned)" sk_copy "oci:$layout:signed" \
    "docker://$REG/$plain:1.0"
  out=$("$ROOT/berth" admin signing require --repository-filter 'interop/*' --profile "$arn" --data "$REG_DATA" 2>&1 \
    || true)
  check_eq sign-require "berth admin signing require interop/*" 1 "$(grep -c 'now need a valid signature' <<<"$out")"
  sleep 3 # the server re-reads requirements within 2 s
  check sign-pull-signed "skopeo pulls the signed image" sk_copy "docker://$REG/$repo:1.0" "oci:$WORK/sign-pulled:1"
  if sk_copy "docker://$REG/$plain:1.0" "oci:$WORK/sign-pulled:2" >/dev/null 2>&1; then
    fail sign-pull-unsigned "skopeo is refused the unsigned image" "it was served"
  else
    pass sign-pull-unsigned "skopeo is refused the unsigned image"
  fi
  out=$("$ROOT/berth" admin signing verify "$repo:1.0" --data "$REG_DATA" 2>&1 || true)
  check_eq sign-verify "berth admin signing verify: VALID" 1 "$(grep -c ': VALID' <<<"$out")"
  "$ROOT/berth" admin signing unrequire --repository-filter 'interop/*' --data "$REG_DATA" >/dev/null 2>&1 || true
  aws_with "$AWS_CLI_V1" ecr delete-signing-configuration >/dev/null 2>&1 || true
  signing_regions
}

# Per region (the server serves us-east-1 and eu-west-1): --region picks the account's profiles and secrets there,
# and their ARNs name it; us-east-1 sees none of eu-west-1's.
signing_regions() {
  local out west=arn:aws:signer:eu-west-1:000000000000:/signing-profiles/interop_west
  out=$(aws_with "$AWS_CLI_V1" signer put-signing-profile --region eu-west-1 --profile-name interop_west \
    --platform-id Notation-OCI-SHA384-ECDSA 2>&1 || true)
  check_eq sign-region-profile "put-signing-profile --region eu-west-1: the ARN names eu-west-1" "$west" \
    "$(jq -r .arn <<<"$out" 2>/dev/null)"
  out=$(aws_with "$AWS_CLI_V1" signer get-signing-profile --profile-name interop_west 2>&1 || true)
  check_eq sign-region-missing "eu-west-1's profile in us-east-1 -> ResourceNotFoundException" 1 \
    "$(grep -c 'ResourceNotFoundException' <<<"$out")"
  out=$(aws_with "$AWS_CLI_V1" ecr put-signing-configuration --signing-configuration \
    "{\"rules\":[{\"signingProfileArn\":\"$west\"}]}" 2>&1 || true)
  check_eq sign-region-config "us-east-1's put-signing-configuration refuses eu-west-1's profile" 1 \
    "$(grep -c 'InvalidParameterException' <<<"$out")"
  out=$("$ROOT/berth" admin signing require --region eu-west-1 --repository-filter 'west/*' --profile "$west" \
    --data "$REG_DATA" 2>&1 || true)
  check_eq sign-region-require "berth admin signing require --region eu-west-1" 1 \
    "$(grep -c 'now need a valid signature' <<<"$out")"
  out=$("$ROOT/berth" admin signing requirements --data "$REG_DATA" 2>&1 || true)
  check_eq sign-region-requirements "us-east-1's requirements do not list eu-west-1's" 0 "$(grep -c 'west/' <<<"$out")"
  "$ROOT/berth" admin signing unrequire --region eu-west-1 --repository-filter 'west/*' --data "$REG_DATA" \
    >/dev/null 2>&1 || true
  aws_with "$AWS_CLI_V1" signer cancel-signing-profile --region eu-west-1 --profile-name interop_west \
    >/dev/null 2>&1 || true

  out=$(aws_with "$AWS_CLI_V1" secretsmanager create-secret --region eu-west-1 --name interop/west \
    --secret-string west 2>&1 || true)
  check_eq sign-region-secret "secretsmanager create-secret --region eu-west-1: the ARN names eu-west-1" 1 \
    "$(jq -r .ARN <<<"$out" 2>/dev/null | grep -c '^arn:aws:secretsmanager:eu-west-1:000000000000:secret:interop/west-')"
  out=$(aws_with "$AWS_CLI_V1" secretsmanager describe-secret --secret-id interop/west 2>&1 || true)
  check_eq sign-region-secret-missing "eu-west-1's secret in us-east-1 -> ResourceNotFoundException" 1 \
    "$(grep -c 'ResourceNotFoundException' <<<"$out")"
  aws_with "$AWS_CLI_V1" secretsmanager delete-secret --region eu-west-1 --secret-id interop/west \
    --force-delete-without-recovery >/dev/null 2>&1 || true
}
