# shellcheck shell=bash
# Interop stage "kms": the key service through the AWS CLI v2's kms commands (create-key, describe-key, encrypt,
# decrypt, disable-key), then a KMS-encrypted repository (create-repository --encryption-configuration
# encryptionType=KMS,kmsKey=...) pushed and pulled with skopeo, refused while its key is disabled, and a KMS_DSSE one.
# Sourced by ci/interop.sh, which defines aws_with, awsecr, ecr_login, sk_copy and the check helpers.

awskms() { aws_with "$AWS_CLI" kms "$@"; }

stage_kms() {
  banner "kms: AWS CLI v2 ($AWS_CLI) kms + ecr --encryption-configuration + skopeo"
  [[ -n ${LAYOUT:-} ]] || oci_build_images
  export REGISTRY_AUTH_FILE=$WORK/auth.json
  ecr_login >/dev/null 2>&1 || true
  local out key arn blob repo=interop/kms/app
  out=$(awskms create-key --description "interop key" 2>&1 || true)
  key=$(jq -r .KeyMetadata.KeyId <<<"$out" 2>/dev/null)
  arn=$(jq -r .KeyMetadata.Arn <<<"$out" 2>/dev/null)
  check_eq kms-create-key "create-key: an Enabled key with its ARN" "Enabled arn:aws:kms:us-east-1:000000000000:key/$key" \
    "$(jq -r '"\(.KeyMetadata.KeyState) \(.KeyMetadata.Arn)"' <<<"$out" 2>/dev/null)"
  out=$(awskms describe-key --key-id "$arn" 2>&1 || true)
  check_eq kms-describe-key "describe-key by ARN: SYMMETRIC_DEFAULT ENCRYPT_DECRYPT" "$key SYMMETRIC_DEFAULT ENCRYPT_DECRYPT" \
    "$(jq -r '"\(.KeyMetadata.KeyId) \(.KeyMetadata.KeySpec) \(.KeyMetadata.KeyUsage)"' <<<"$out" 2>/dev/null)"
  check kms-create-alias "create-alias alias/interop" awskms create-alias --alias-name alias/interop --target-key-id "$key"

  printf 'interop secret' >"$WORK/kms-plain"
  out=$(awskms encrypt --key-id alias/interop --plaintext "fileb://$WORK/kms-plain" 2>&1 || true)
  blob=$(jq -r .CiphertextBlob <<<"$out" 2>/dev/null)
  check_eq kms-encrypt "encrypt by alias names the key's ARN" "$arn" "$(jq -r .KeyId <<<"$out" 2>/dev/null)"
  base64 -d <<<"$blob" >"$WORK/kms-blob" 2>/dev/null || true
  out=$(awskms decrypt --ciphertext-blob "fileb://$WORK/kms-blob" 2>&1 || true)
  check_eq kms-decrypt "decrypt without --key-id: the plaintext back" "interop secret" \
    "$(jq -r .Plaintext <<<"$out" 2>/dev/null | base64 -d 2>/dev/null)"
  printf 'not a ciphertext at all, not even close' >"$WORK/kms-garbage"
  AWS_RUN=awskms expect_aws_error kms-decrypt-foreign "decrypt of a foreign blob -> InvalidCiphertextException" \
    InvalidCiphertextException "" -- decrypt --ciphertext-blob "fileb://$WORK/kms-garbage"
  AWS_RUN=awskms expect_aws_error kms-malformed-id "describe-key of a malformed ID -> NotFoundException" \
    NotFoundException "" -- describe-key --key-id not-a-key

  out=$(awsecr create-repository --repository-name "$repo" \
    --encryption-configuration "encryptionType=KMS,kmsKey=alias/interop" 2>&1 || true)
  check_eq kms-ecr-create "create-repository --encryption-configuration KMS: kmsKey is the key's ARN" "KMS $arn" \
    "$(jq -r '"\(.repository.encryptionConfiguration.encryptionType) \(.repository.encryptionConfiguration.kmsKey)"' <<<"$out" 2>/dev/null)"
  check kms-push "skopeo push to the KMS repository" sk_copy "oci:$LAYOUT:amd64" "docker://$REG/$repo:1.0"
  check kms-pull "skopeo pull from it" sk_copy "docker://$REG/$repo:1.0" "oci:$WORK/kms-pulled:app"

  check kms-disable "disable-key" awskms disable-key --key-id "$key"
  AWS_RUN=awskms expect_aws_error kms-disabled-encrypt "encrypt with the disabled key -> DisabledException" \
    DisabledException "disabled" -- encrypt --key-id "$key" --plaintext "fileb://$WORK/kms-plain"
  sleep 2 # the registry caches a key's state for a second
  check kms-disabled-pull "skopeo pull while the key is disabled is refused" \
    bash -c "! timeout 120 skopeo --insecure-policy copy -q --src-tls-verify=false docker://$REG/$repo:1.0 oci:$WORK/kms-refused:app >/dev/null 2>&1"
  expect_aws_error kms-disabled-ecr "batch-get-image while the key is disabled -> KmsException" KmsException \
    "disabled" -- batch-get-image --repository-name "$repo" --image-ids imageTag=1.0
  check kms-enable "enable-key" awskms enable-key --key-id "$key"
  sleep 2
  check kms-enabled-pull "skopeo pull after enable-key works again" sk_copy "docker://$REG/$repo:1.0" \
    "oci:$WORK/kms-pulled2:app"
  check kms-ecr-delete "delete-repository --force" awsecr delete-repository --repository-name "$repo" --force

  # KMS_DSSE: two layers of envelope encryption; skopeo checks every digest on the way back
  check kms-dsse-create "create-repository KMS_DSSE" awsecr create-repository --repository-name "$repo-dsse" \
    --encryption-configuration "encryptionType=KMS_DSSE,kmsKey=alias/interop"
  check kms-dsse-push "skopeo push to the KMS_DSSE repository" sk_copy "oci:$LAYOUT:amd64" "docker://$REG/$repo-dsse:1.0"
  check kms-dsse-pull "skopeo pull from it" sk_copy "docker://$REG/$repo-dsse:1.0" "oci:$WORK/kms-dsse-pulled:app"
}
