package io.berth.core.error;

/**
 * The one error table. Each entry is a condition the registry can report, with the OCI Distribution error code and
 * HTTP status it has on {@code /v2/}, and the AWS error name ({@code __type}) and status it has on the AWS API plane.
 * The AWS column holds ECR's names; a service that names a condition otherwise overrides it in its
 * {@link AwsService} table. Services throw {@link RegistryException} with one of these; the wire writers only read
 * the table. {@code ociCode == null} marks a condition that only the AWS API can produce.
 */
public enum ErrorCode {
    // --- OCI Distribution spec codes (status as CNCF distribution answers them) ---
    BLOB_UNKNOWN("BLOB_UNKNOWN", 404, "LayersNotFoundException", false),
    BLOB_UPLOAD_INVALID("BLOB_UPLOAD_INVALID", 400, "InvalidLayerException", false),
    /** A chunk that does not start where the upload ends; the spec mandates 416. */
    BLOB_UPLOAD_RANGE_INVALID("BLOB_UPLOAD_INVALID", 416, "InvalidLayerPartException", false),
    BLOB_UPLOAD_UNKNOWN("BLOB_UPLOAD_UNKNOWN", 404, "UploadNotFoundException", false),
    /** A {@code Range} on a blob GET that cannot be satisfied. The spec names no code, only the 416 status. */
    RANGE_INVALID("RANGE_INVALID", 416, "InvalidParameterException", false),
    DIGEST_INVALID("DIGEST_INVALID", 400, "InvalidParameterException", false),
    /** Uploaded content does not hash to the digest the client named. */
    DIGEST_MISMATCH("DIGEST_INVALID", 400, "InvalidLayerException", false),
    MANIFEST_BLOB_UNKNOWN("MANIFEST_BLOB_UNKNOWN", 400, "LayersNotFoundException", false),
    /** An index names a child manifest that is not in the repository. */
    MANIFEST_CHILD_UNKNOWN("MANIFEST_BLOB_UNKNOWN", 400, "ReferencedImagesNotFoundException", false),
    MANIFEST_INVALID("MANIFEST_INVALID", 400, "InvalidParameterException", false),
    MANIFEST_TOO_LARGE("SIZE_INVALID", 413, "InvalidParameterException", false),
    MANIFEST_UNKNOWN("MANIFEST_UNKNOWN", 404, "ImageNotFoundException", false),
    NAME_INVALID("NAME_INVALID", 400, "InvalidParameterException", false),
    NAME_UNKNOWN("NAME_UNKNOWN", 404, "RepositoryNotFoundException", false),
    SIZE_INVALID("SIZE_INVALID", 400, "InvalidParameterException", false),
    TAG_INVALID_FORMAT("TAG_INVALID", 400, "InvalidParameterException", false),
    TAG_IMMUTABLE("TAG_INVALID", 400, "ImageTagAlreadyExistsException", false),
    /** Unknown or revoked access key, forged or expired registry token: AWS's "security token ... is invalid". */
    UNAUTHORIZED("UNAUTHORIZED", 401, "UnrecognizedClientException", false),
    /** A SigV4 signature that does not verify, is outside the 15-minute window, or has the wrong scope. */
    SIGNATURE_INVALID("UNAUTHORIZED", 401, "InvalidSignatureException", false),
    /** A malformed SigV4 {@code Authorization} header or query (missing Credential, SignedHeaders, date). */
    SIGNATURE_INCOMPLETE("UNAUTHORIZED", 401, "IncompleteSignatureException", false),
    /** No credentials at all. AWS answers this one with 403 on its JSON APIs, not 400. */
    AUTHENTICATION_MISSING("UNAUTHORIZED", 401, "MissingAuthenticationTokenException", false, 403),
    DENIED("DENIED", 403, "AccessDeniedException", false),
    /**
     * A delete of something a manifest of the repository still needs: a child an index lists, a blob an image
     * uses. The spec has no code for it; 405 DENIED is what zot answers, and 405 is among the statuses the spec
     * allows for both deletes. ECR's BatchDeleteImage reports it as the failure ImageReferencedByManifestList.
     */
    STILL_REFERENCED("DENIED", 405, "InvalidParameterException", false),
    UNSUPPORTED("UNSUPPORTED", 405, "UnsupportedCommandException", false),
    /** Malformed request parameters ({@code n}, pagination cursors, headers) on either API. */
    INVALID_PARAMETER("UNSUPPORTED", 400, "InvalidParameterException", false),
    TOO_MANY_REQUESTS("TOOMANYREQUESTS", 429, "ThrottlingException", false),
    // --- ECR-only conditions (no OCI code; the ECR API answers 400 for all of them) ---
    REPOSITORY_ALREADY_EXISTS(null, 400, "RepositoryAlreadyExistsException", false),
    REPOSITORY_NOT_EMPTY(null, 400, "RepositoryNotEmptyException", false),
    IMAGE_ALREADY_EXISTS(null, 400, "ImageAlreadyExistsException", false),
    /** PutImage's {@code imageDigest} differs from the manifest's digest. */
    IMAGE_DIGEST_MISMATCH(null, 400, "ImageDigestDoesNotMatchException", false),
    LAYER_ALREADY_EXISTS(null, 400, "LayerAlreadyExistsException", false),
    /** A layer in the repository that no image references (ECR refuses download URLs for those). */
    LAYER_INACCESSIBLE(null, 400, "LayerInaccessibleException", false),
    EMPTY_UPLOAD(null, 400, "EmptyUploadException", false),
    TOO_MANY_TAGS(null, 400, "TooManyTagsException", false),
    INVALID_TAG_PARAMETER(null, 400, "InvalidTagParameterException", false),
    /** GetRepositoryPolicy / DeleteRepositoryPolicy on a repository without a policy. */
    REPOSITORY_POLICY_NOT_FOUND(null, 400, "RepositoryPolicyNotFoundException", false),
    /** GetLifecyclePolicy / DeleteLifecyclePolicy on a repository without a lifecycle policy. */
    LIFECYCLE_POLICY_NOT_FOUND(null, 400, "LifecyclePolicyNotFoundException", false),
    /** StartLifecyclePolicyPreview while the repository's previous preview is still IN_PROGRESS. */
    LIFECYCLE_POLICY_PREVIEW_IN_PROGRESS(null, 400, "LifecyclePolicyPreviewInProgressException", false),
    /** GetLifecyclePolicyPreview on a repository that has had no preview. */
    LIFECYCLE_POLICY_PREVIEW_NOT_FOUND(null, 400, "LifecyclePolicyPreviewNotFoundException", false),
    /** GetRegistryPolicy / DeleteRegistryPolicy on a registry without a policy. */
    REGISTRY_POLICY_NOT_FOUND(null, 400, "RegistryPolicyNotFoundException", false),
    /** CreateRepositoryCreationTemplate for a prefix that has a template already. */
    TEMPLATE_ALREADY_EXISTS(null, 400, "TemplateAlreadyExistsException", false),
    /** Update/DeleteRepositoryCreationTemplate for a prefix without a template. */
    TEMPLATE_NOT_FOUND(null, 400, "TemplateNotFoundException", false),
    /** RegisterPullTimeUpdateExclusion for a principal that is excluded already. */
    EXCLUSION_ALREADY_EXISTS(null, 400, "ExclusionAlreadyExistsException", false),
    /** DeregisterPullTimeUpdateExclusion for a principal that is not excluded. */
    EXCLUSION_NOT_FOUND(null, 400, "ExclusionNotFoundException", false),
    /** DescribeImageScanFindings for an image that was never scanned. */
    SCAN_NOT_FOUND(null, 400, "ScanNotFoundException", false),
    /** StartImageScan of something that is not a container image (an artifact, a signature, an SBOM). */
    UNSUPPORTED_IMAGE_TYPE(null, 400, "UnsupportedImageTypeException", false),
    /** StartImageScan of an image in the archive storage class (archived, or still being restored). */
    IMAGE_ARCHIVED(null, 400, "ImageArchivedException", false),
    /** A quota: StartImageScan more than once per image per 24 hours. */
    LIMIT_EXCEEDED(null, 400, "LimitExceededException", false),
    /**
     * UpdateImageStorageClass that cannot be done: archiving an image that is being restored, or one a manifest
     * list that is not archived lists.
     */
    IMAGE_STORAGE_CLASS_UPDATE_NOT_SUPPORTED(null, 400, "ImageStorageClassUpdateNotSupportedException", false),
    /** CreatePullThroughCacheRule for a prefix that has a rule already. */
    PULL_THROUGH_RULE_ALREADY_EXISTS(null, 400, "PullThroughCacheRuleAlreadyExistsException", false),
    /** Describe/Update/Delete/ValidatePullThroughCacheRule for a prefix without a rule. */
    PULL_THROUGH_RULE_NOT_FOUND(null, 400, "PullThroughCacheRuleNotFoundException", false),
    /** A pull-through cache rule naming an upstream registry (kind or URL) that cannot be used. */
    UNSUPPORTED_UPSTREAM_REGISTRY(null, 400, "UnsupportedUpstreamRegistryException", false),
    /**
     * A {@code credentialArn} that names no secret of the account; on Secrets Manager itself, a secret or version
     * that does not exist ({@code ResourceNotFoundException}, its {@link AwsService} override).
     */
    SECRET_NOT_FOUND(null, 400, "SecretNotFoundException", false),
    /** Secrets Manager: CreateSecret of a name that is taken, a version ID reused with another value. */
    RESOURCE_EXISTS(null, 400, "ResourceExistsException", false),
    /** Secrets Manager: an operation the secret's state forbids (it is scheduled for deletion). */
    INVALID_REQUEST(null, 400, "InvalidRequestException", false),
    /**
     * The upstream of a pull-through cache rule could not give a manifest (unreachable, refused, an error status,
     * content that does not match its digest). A server-side failure on /v2 (502); on the ECR API ECR models it as a
     * client exception (400). Today only /v2 pulls go upstream, so only /v2 produces it.
     */
    UPSTREAM_IMAGE_UNAVAILABLE("UNAVAILABLE", 502, "UnableToGetUpstreamImageException", true, 400),
    /** As {@link #UPSTREAM_IMAGE_UNAVAILABLE}, for a blob (layer or config). */
    UPSTREAM_LAYER_UNAVAILABLE("UNAVAILABLE", 502, "UnableToGetUpstreamLayerException", true, 400),
    /** GetSigningConfiguration / DeleteSigningConfiguration on a registry without a signing configuration. */
    SIGNING_CONFIGURATION_NOT_FOUND(null, 400, "SigningConfigurationNotFoundException", false),
    /** Signer: a signing profile or signing job that does not exist (Signer answers 404: {@link AwsService#SIGNER}). */
    SIGNER_RESOURCE_NOT_FOUND(null, 400, "ResourceNotFoundException", false),
    /** Signer: a profile name that exists already, or a change its status does not allow (Signer answers 409). */
    SIGNER_CONFLICT(null, 400, "ConflictException", false),
    /** Signer's tagging operations: a profile ARN that names no profile (Signer answers 404 NotFoundException). */
    SIGNER_TAG_NOT_FOUND(null, 400, "NotFoundException", false),
    /** Signer's tagging operations: a malformed ARN or tag, or a canceled profile (BadRequestException, 400). */
    SIGNER_BAD_REQUEST(null, 400, "BadRequestException", false),
    // --- The key service (KMS, TrentService): its own exception names, all 400 like ECR's ---
    /** A key ID, ARN or alias that names nothing, or is not a key ID at all (KMS answers both alike). */
    KMS_NOT_FOUND(null, 400, "NotFoundException", false),
    /** A ciphertext blob that is not one, was altered, or was made with another encryption context. */
    KMS_INVALID_CIPHERTEXT(null, 400, "InvalidCiphertextException", false),
    /** Decrypt naming a KeyId other than the key the ciphertext was made under. */
    KMS_INCORRECT_KEY(null, 400, "IncorrectKeyException", false),
    /** A cryptographic operation (or rotation) with a disabled key. */
    KMS_DISABLED(null, 400, "DisabledException", false),
    /** An operation the key's state does not allow (pending deletion; enabling one that is pending). */
    KMS_INVALID_STATE(null, 400, "KMSInvalidStateException", false),
    /** CreateAlias with a name that exists. */
    KMS_ALREADY_EXISTS(null, 400, "AlreadyExistsException", false),
    /** A key policy that is not a valid resource policy. */
    KMS_MALFORMED_POLICY(null, 400, "MalformedPolicyDocumentException", false),
    /** An alias name without {@code alias/}, or under the reserved {@code alias/aws/}. */
    KMS_INVALID_ALIAS_NAME(null, 400, "InvalidAliasNameException", false),
    /** A Marker that this listing did not hand out. */
    KMS_INVALID_MARKER(null, 400, "InvalidMarkerException", false),
    /** A key kind or option the key service does not offer (asymmetric, HMAC, external or multi-Region keys). */
    KMS_UNSUPPORTED(null, 400, "UnsupportedOperationException", false),
    /**
     * An ECR push or pull whose repository's KMS key is disabled or pending deletion (ECR's KmsException). On /v2
     * it is DENIED, 403: the client cannot fix it by retrying, the key's owner can by re-enabling the key.
     */
    KMS_KEY_UNUSABLE("DENIED", 403, "KmsException", false),
    /** The newer ECR operations' model-level validation failures (ECR's {@code ValidationException}). */
    VALIDATION(null, 400, "ValidationException", false),
    /** AWS JSON protocol: the body is not JSON, or a field has the wrong JSON type. */
    SERIALIZATION(null, 400, "SerializationException", false),
    /** AWS JSON protocol: no or an unknown {@code X-Amz-Target}. */
    UNKNOWN_OPERATION(null, 400, "UnknownOperationException", false),
    /** AWS JSON protocol: a body over the server's limit (refused before it is parsed). */
    REQUEST_TOO_LARGE(null, 413, "RequestEntityTooLargeException", false, 413),
    /** The server is shutting down or storage is unreachable. */
    UNAVAILABLE("UNAVAILABLE", 503, "ServerException", true),
    INTERNAL("UNKNOWN", 500, "ServerException", true);

    private final String ociCode;
    private final int httpStatus;
    private final String awsType;
    private final boolean serverFault;
    private final int awsStatus;

    /** The usual entry: on the AWS API a client fault is 400 and a server fault 500 (AWS JSON convention). */
    ErrorCode(String ociCode, int httpStatus, String awsType, boolean serverFault) {
        this(ociCode, httpStatus, awsType, serverFault, serverFault ? 500 : 400);
    }

    /** An entry whose AWS HTTP status differs from the JSON convention (as AWS answers it). */
    ErrorCode(String ociCode, int httpStatus, String awsType, boolean serverFault, int awsStatus) {
        this.ociCode = ociCode;
        this.httpStatus = httpStatus;
        this.awsType = awsType;
        this.serverFault = serverFault;
        this.awsStatus = awsStatus;
    }

    /** The OCI error code, or null for ECR-only conditions. */
    public String ociCode() { return ociCode; }

    /** The HTTP status on {@code /v2/}. */
    public int httpStatus() { return httpStatus; }

    /** The AWS error name {@code service} answers this condition with ({@code __type}, or a Query {@code Code}). */
    public String awsType(AwsService service) {
        AwsService.AwsError override = service.override(this);
        return override == null ? awsType : override.type();
    }

    /** The HTTP status {@code service} answers this condition with: 400 for client faults, 500 for server faults,
     * or as the entry or the service's table sets it. */
    public int awsStatus(AwsService service) {
        AwsService.AwsError override = service.override(this);
        return override == null ? awsStatus : override.status();
    }

    /** True for faults of the server rather than the client: AWS answers 500, and they are logged at ERROR. */
    public boolean serverFault() { return serverFault; }
}
