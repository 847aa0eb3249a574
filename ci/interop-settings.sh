# shellcheck shell=bash
# Interop stage "templates": repository creation templates and pull-time update exclusions through the AWS CLI v1
# on PATH (Debian's v2, 2.9, predates these commands), with a skopeo push that a CREATE_ON_PUSH template shapes.
# Sourced by ci/interop.sh, which defines awsecr, aws_with, expect_aws_error, sk_copy and the check helpers.

# awsv1 args...: the v1 CLI against the registry; expect_v1_error is expect_aws_error with the v1 CLI.
awsv1() { aws_with "$AWS_CLI_V1" ecr "$@"; }
expect_v1_error() { AWS_RUN=awsv1 expect_aws_error "$@"; }

stage_templates() {
  banner "templates: creation templates and pull-time exclusions (AWS CLI v1 $AWS_CLI_V1) + skopeo"
  if ! { [[ -x $AWS_CLI_V1 ]] && "$AWS_CLI_V1" --version 2>&1 | grep -q '^aws-cli/1\.'; }; then
    fail templates-cli "an AWS CLI v1 at $AWS_CLI_V1" "not found: these ECR commands need it"
    return
  fi
  [[ -n ${LAYOUT:-} ]] || oci_build_images
  export REGISTRY_AUTH_FILE=$WORK/auth.json
  ecr_login >/dev/null 2>&1 || true
  local prefix=interop/tpl repo=interop/tpl/app out lifecycle
  lifecycle='{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}'

  out=$(awsv1 create-repository-creation-template --prefix "$prefix" --applied-for CREATE_ON_PUSH \
    --image-tag-mutability IMMUTABLE --resource-tags Key=team,Value=interop \
    --lifecycle-policy "$lifecycle" --description "interop: pushes under $prefix" 2>&1 || true)
  check_eq templates-create "create-repository-creation-template $prefix" "$prefix" \
    "$(jq -r .repositoryCreationTemplate.prefix <<<"$out" 2>/dev/null)"
  expect_v1_error templates-create-again "the same prefix again -> TemplateAlreadyExistsException" \
    TemplateAlreadyExistsException "$prefix" -- create-repository-creation-template --prefix "$prefix" \
    --applied-for CREATE_ON_PUSH
  out=$(awsv1 describe-repository-creation-templates --prefixes "$prefix" 2>&1 || true)
  check_eq templates-describe "describe-repository-creation-templates: applied for" CREATE_ON_PUSH \
    "$(jq -r '.repositoryCreationTemplates[0].appliedFor | join(",")' <<<"$out" 2>/dev/null)"

  check templates-push "skopeo push to the missing $repo (created on push)" sk_copy "oci:$LAYOUT:amd64" \
    "docker://$REG/$repo:1.0"
  out=$(awsecr describe-repositories --repository-names "$repo" 2>&1 || true)
  check_eq templates-applied-mutability "the created repository has the template's tag mutability" IMMUTABLE \
    "$(jq -r '.repositories[0].imageTagMutability' <<<"$out" 2>/dev/null)"
  out=$(awsecr get-lifecycle-policy --repository-name "$repo" 2>&1 || true)
  check_eq templates-applied-lifecycle "... and its lifecycle policy" sinceImagePushed \
    "$(jq -r '.lifecyclePolicyText | fromjson | .rules[0].selection.countType' <<<"$out" 2>/dev/null)"
  out=$(awsecr list-tags-for-resource --resource-arn "arn:aws:ecr:us-east-1:000000000000:repository/$repo" \
    2>&1 || true)
  check_eq templates-applied-tags "... and its resource tags" "team=interop" \
    "$(jq -r '.tags | map("\(.Key)=\(.Value)") | join(",")' <<<"$out" 2>/dev/null)"

  out=$(awsv1 update-repository-creation-template --prefix "$prefix" --image-tag-mutability MUTABLE 2>&1 || true)
  check_eq templates-update "update-repository-creation-template: MUTABLE" MUTABLE \
    "$(jq -r .repositoryCreationTemplate.imageTagMutability <<<"$out" 2>/dev/null)"
  check templates-delete "delete-repository-creation-template" awsv1 delete-repository-creation-template \
    --prefix "$prefix"
  expect_v1_error templates-delete-again "delete again -> TemplateNotFoundException" TemplateNotFoundException \
    "$prefix" -- delete-repository-creation-template --prefix "$prefix"

  # pull-time update exclusions: a scanner's pulls must not keep images "recently pulled"
  local scanner=arn:aws:iam::000000000000:user/interop-scanner
  out=$(awsv1 register-pull-time-update-exclusion --principal-arn "$scanner" 2>&1 || true)
  check_eq exclusions-register "register-pull-time-update-exclusion" "$scanner" \
    "$(jq -r .principalArn <<<"$out" 2>/dev/null)"
  expect_v1_error exclusions-register-again "register again -> ExclusionAlreadyExistsException" \
    ExclusionAlreadyExistsException "already excluded" -- register-pull-time-update-exclusion \
    --principal-arn "$scanner"
  out=$(awsv1 list-pull-time-update-exclusions 2>&1 || true)
  check_eq exclusions-list "list-pull-time-update-exclusions" "$scanner" \
    "$(jq -r '.pullTimeUpdateExclusions | join(",")' <<<"$out" 2>/dev/null)"
  check exclusions-deregister "deregister-pull-time-update-exclusion" awsv1 \
    deregister-pull-time-update-exclusion --principal-arn "$scanner"
  expect_v1_error exclusions-deregister-again "deregister again -> ExclusionNotFoundException" \
    ExclusionNotFoundException "not excluded" -- deregister-pull-time-update-exclusion --principal-arn "$scanner"

  check templates-cleanup "delete-repository --force $repo" awsecr delete-repository --repository-name "$repo" \
    --force
}
