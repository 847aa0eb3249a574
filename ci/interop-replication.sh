# shellcheck shell=bash
# Interop stage "replication": regions and replication with the AWS CLI v2 and skopeo. The server serves us-east-1
# and eu-west-1 (BERTH_REGIONS, exported by ci/interop.sh) with localhost mapped to eu-west-1
# (BERTH_REGISTRY_REGION_HOSTS), since a test cannot add DNS names: 127.0.0.1 is us-east-1, localhost is eu-west-1.
# A push to us-east-1 after put-replication-configuration must become pullable by skopeo from eu-west-1's host.
# Sourced by ci/interop.sh, which defines awsecr, expect_aws_error, sk_copy, http and the check helpers.

stage_replication() {
  banner "replication: regions by SigV4 scope and host, put-replication-configuration, skopeo from eu-west-1"
  local west=localhost:$REG_PORT repo=interop/repl out digest status west_auth=$WORK/auth-west.json
  local t0 t1
  [[ -n ${LAYOUT:-} ]] || oci_build_images

  expect_aws_error repl-same "put-replication-configuration to the source registry itself" \
    InvalidParameterException "cannot be the same as the source registry" -- \
    put-replication-configuration --replication-configuration \
    '{"rules":[{"destinations":[{"region":"us-east-1","registryId":"000000000000"}]}]}'
  expect_aws_error repl-filter "a WILDCARD filter" InvalidParameterException "PREFIX_MATCH" -- \
    put-replication-configuration --replication-configuration \
    '{"rules":[{"destinations":[{"region":"eu-west-1","registryId":"000000000000"}],"repositoryFilters":[{"filter":"interop","filterType":"WILDCARD"}]}]}'
  expect_aws_error repl-region "a region this deployment does not serve (--region ap-south-1)" \
    InvalidSignatureException "valid region" -- --region ap-south-1 describe-repositories

  out=$(awsecr put-replication-configuration --replication-configuration \
    '{"rules":[{"destinations":[{"region":"eu-west-1","registryId":"000000000000"}],"repositoryFilters":[{"filter":"interop/repl","filterType":"PREFIX_MATCH"}]}]}' \
    2>&1 || true)
  check_eq repl-put "put-replication-configuration echoes the destination" eu-west-1 \
    "$(jq -r '.replicationConfiguration.rules[0].destinations[0].region' <<<"$out" 2>/dev/null)"
  out=$(awsecr describe-registry 2>&1 || true)
  check_eq repl-describe "describe-registry shows the rule's filter" interop/repl \
    "$(jq -r '.replicationConfiguration.rules[0].repositoryFilters[0].filter' <<<"$out" 2>/dev/null)"

  export REGISTRY_AUTH_FILE=$WORK/auth.json
  ecr_login >/dev/null 2>&1 || true
  t0=$(date +%s%N)
  check repl-push "skopeo push to us-east-1 ($REG)" sk_copy "oci:$LAYOUT:amd64" "docker://$REG/$repo:1"
  digest=$(sk_digest "docker://$REG/$repo:1" 2>/dev/null || true)

  # eu-west-1's own login: a us-east-1 token is refused there
  awsecr --region eu-west-1 get-login-password 2>/dev/null \
    | REGISTRY_AUTH_FILE=$west_auth skopeo login --password-stdin --username AWS --tls-verify=false "$west" \
    >/dev/null 2>&1 || true
  for _ in $(seq 1 60); do
    REGISTRY_AUTH_FILE=$west_auth sk_inspect "docker://$west/$repo:1" >/dev/null 2>&1 && break
    sleep 0.25
  done
  t1=$(date +%s%N)
  log "replication lag push -> pullable at eu-west-1: $(((t1 - t0) / 1000000)) ms (includes the skopeo push)"
  check repl-pull "skopeo pulls the replica from eu-west-1 ($west)" env REGISTRY_AUTH_FILE="$west_auth" \
    skopeo --insecure-policy copy -q --src-tls-verify=false "docker://$west/$repo:1" "dir:$WORK/repl-pulled"
  check_eq repl-digest "the replica's digest is the source's" "$digest" \
    "$(REGISTRY_AUTH_FILE=$west_auth sk_digest "docker://$west/$repo:1" 2>/dev/null || true)"

  out=$(awsecr describe-image-replication-status --repository-name "$repo" --image-id imageTag=1 2>&1 || true)
  status=$(jq -r '.replicationStatuses[] | "\(.region) \(.registryId) \(.status)"' <<<"$out" 2>/dev/null || true)
  check_eq repl-status "describe-image-replication-status" "eu-west-1 000000000000 COMPLETE" "$status"
  out=$(awsecr --region eu-west-1 describe-repositories --repository-names "$repo" 2>&1 || true)
  check_eq repl-arn "the replica repository's ARN names eu-west-1" \
    "arn:aws:ecr:eu-west-1:000000000000:repository/$repo" \
    "$(jq -r '.repositories[0].repositoryArn' <<<"$out" 2>/dev/null)"
  check_eq repl-token "a us-east-1 registry token is refused at eu-west-1" 401 \
    "$(curl -s -o /dev/null -w '%{http_code}' -u "AWS:$(awsecr get-login-password 2>/dev/null)" "http://$west/v2/")"

  stage_replication_opt_ins "$repo" "$west" "$west_auth"
}

# Beyond ECR: berth admin replication's per-destination opt-ins, seen by skopeo at eu-west-1. With a tag filter
# (stable, 1*) an image pushed as dev stays home; tagging it stable (a tag added to an existing image) replicates it
# once tag moves propagate; moving stable back onto the first image moves it at eu-west-1 too.
stage_replication_opt_ins() {
  local repo=$1 west=$2 west_auth=$3 out arm amd
  # prints eu-west-1's digest of $repo:stable once it is $1, or what it is after 15 s
  west_digest_becomes() {
    local got
    for _ in $(seq 1 60); do
      got=$(REGISTRY_AUTH_FILE=$west_auth sk_digest "docker://$west/$repo:stable" 2>/dev/null || true)
      [[ $got == "$1" ]] && break
      sleep 0.25
    done
    echo "$got"
  }
  out=$("$ROOT/berth" admin replication --destination eu-west-1:000000000000 --propagate-tag-moves true \
    --tag-filter stable --tag-filter '1*' --data "$REG_DATA" 2>&1 || true)
  check_eq repl-optin "berth admin replication --propagate-tag-moves true --tag-filter" 1 \
    "$(grep -c 'propagate-tag-moves true, tag-filter stable,1\*' <<<"$out")"
  check repl-dev "skopeo push of $repo:dev to us-east-1" sk_copy "oci:$LAYOUT:arm64" "docker://$REG/$repo:dev"
  arm=$(sk_digest "docker://$REG/$repo:dev" 2>/dev/null || true)
  amd=$(sk_digest "docker://$REG/$repo:1" 2>/dev/null || true)
  check repl-stable "skopeo tags the existing image stable at us-east-1" sk_copy "oci:$LAYOUT:arm64" \
    "docker://$REG/$repo:stable"
  check_eq repl-tag-added "eu-west-1's stable is the re-tagged image" "$arm" "$(west_digest_becomes "$arm")"
  check_eq repl-filtered "dev matches no tag filter: not at eu-west-1" "" \
    "$(REGISTRY_AUTH_FILE=$west_auth sk_digest "docker://$west/$repo:dev" 2>/dev/null || true)"
  check repl-move "skopeo moves stable back onto the first image" sk_copy "oci:$LAYOUT:amd64" \
    "docker://$REG/$repo:stable"
  check_eq repl-tag-moved "eu-west-1's stable moved with it" "$amd" "$(west_digest_becomes "$amd")"
}
