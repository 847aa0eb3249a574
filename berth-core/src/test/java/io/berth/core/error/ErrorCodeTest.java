package io.berth.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pins every entry of the error table: a change to a wire code is a compatibility decision, made here on purpose. */
class ErrorCodeTest {

    @Test
    void table_everyEntry_pinned() {
        Map<ErrorCode, String> expected = Map.ofEntries(
                Map.entry(ErrorCode.BLOB_UNKNOWN, "BLOB_UNKNOWN 404 LayersNotFoundException"),
                Map.entry(ErrorCode.BLOB_UPLOAD_INVALID, "BLOB_UPLOAD_INVALID 400 InvalidLayerException"),
                Map.entry(ErrorCode.BLOB_UPLOAD_RANGE_INVALID, "BLOB_UPLOAD_INVALID 416 InvalidLayerPartException"),
                Map.entry(ErrorCode.BLOB_UPLOAD_UNKNOWN, "BLOB_UPLOAD_UNKNOWN 404 UploadNotFoundException"),
                Map.entry(ErrorCode.RANGE_INVALID, "RANGE_INVALID 416 InvalidParameterException"),
                Map.entry(ErrorCode.DIGEST_INVALID, "DIGEST_INVALID 400 InvalidParameterException"),
                Map.entry(ErrorCode.DIGEST_MISMATCH, "DIGEST_INVALID 400 InvalidLayerException"),
                Map.entry(ErrorCode.MANIFEST_BLOB_UNKNOWN, "MANIFEST_BLOB_UNKNOWN 400 LayersNotFoundException"),
                Map.entry(ErrorCode.MANIFEST_CHILD_UNKNOWN,
                        "MANIFEST_BLOB_UNKNOWN 400 ReferencedImagesNotFoundException"),
                Map.entry(ErrorCode.MANIFEST_INVALID, "MANIFEST_INVALID 400 InvalidParameterException"),
                Map.entry(ErrorCode.MANIFEST_TOO_LARGE, "SIZE_INVALID 413 InvalidParameterException"),
                Map.entry(ErrorCode.MANIFEST_UNKNOWN, "MANIFEST_UNKNOWN 404 ImageNotFoundException"),
                Map.entry(ErrorCode.NAME_INVALID, "NAME_INVALID 400 InvalidParameterException"),
                Map.entry(ErrorCode.NAME_UNKNOWN, "NAME_UNKNOWN 404 RepositoryNotFoundException"),
                Map.entry(ErrorCode.SIZE_INVALID, "SIZE_INVALID 400 InvalidParameterException"),
                Map.entry(ErrorCode.TAG_INVALID_FORMAT, "TAG_INVALID 400 InvalidParameterException"),
                Map.entry(ErrorCode.TAG_IMMUTABLE, "TAG_INVALID 400 ImageTagAlreadyExistsException"),
                Map.entry(ErrorCode.UNAUTHORIZED, "UNAUTHORIZED 401 UnrecognizedClientException"),
                Map.entry(ErrorCode.SIGNATURE_INVALID, "UNAUTHORIZED 401 InvalidSignatureException"),
                Map.entry(ErrorCode.SIGNATURE_INCOMPLETE, "UNAUTHORIZED 401 IncompleteSignatureException"),
                Map.entry(ErrorCode.AUTHENTICATION_MISSING, "UNAUTHORIZED 401 MissingAuthenticationTokenException"),
                Map.entry(ErrorCode.DENIED, "DENIED 403 AccessDeniedException"),
                Map.entry(ErrorCode.STILL_REFERENCED, "DENIED 405 InvalidParameterException"),
                Map.entry(ErrorCode.UNSUPPORTED, "UNSUPPORTED 405 UnsupportedCommandException"),
                Map.entry(ErrorCode.INVALID_PARAMETER, "UNSUPPORTED 400 InvalidParameterException"),
                Map.entry(ErrorCode.TOO_MANY_REQUESTS, "TOOMANYREQUESTS 429 ThrottlingException"),
                Map.entry(ErrorCode.REPOSITORY_ALREADY_EXISTS, "null 400 RepositoryAlreadyExistsException"),
                Map.entry(ErrorCode.REPOSITORY_NOT_EMPTY, "null 400 RepositoryNotEmptyException"),
                Map.entry(ErrorCode.IMAGE_ALREADY_EXISTS, "null 400 ImageAlreadyExistsException"),
                Map.entry(ErrorCode.IMAGE_DIGEST_MISMATCH, "null 400 ImageDigestDoesNotMatchException"),
                Map.entry(ErrorCode.LAYER_ALREADY_EXISTS, "null 400 LayerAlreadyExistsException"),
                Map.entry(ErrorCode.LAYER_INACCESSIBLE, "null 400 LayerInaccessibleException"),
                Map.entry(ErrorCode.EMPTY_UPLOAD, "null 400 EmptyUploadException"),
                Map.entry(ErrorCode.TOO_MANY_TAGS, "null 400 TooManyTagsException"),
                Map.entry(ErrorCode.INVALID_TAG_PARAMETER, "null 400 InvalidTagParameterException"),
                Map.entry(ErrorCode.REPOSITORY_POLICY_NOT_FOUND, "null 400 RepositoryPolicyNotFoundException"),
                Map.entry(ErrorCode.LIFECYCLE_POLICY_NOT_FOUND, "null 400 LifecyclePolicyNotFoundException"),
                Map.entry(ErrorCode.LIFECYCLE_POLICY_PREVIEW_IN_PROGRESS,
                        "null 400 LifecyclePolicyPreviewInProgressException"),
                Map.entry(ErrorCode.LIFECYCLE_POLICY_PREVIEW_NOT_FOUND,
                        "null 400 LifecyclePolicyPreviewNotFoundException"),
                Map.entry(ErrorCode.REGISTRY_POLICY_NOT_FOUND, "null 400 RegistryPolicyNotFoundException"),
                Map.entry(ErrorCode.TEMPLATE_ALREADY_EXISTS, "null 400 TemplateAlreadyExistsException"),
                Map.entry(ErrorCode.TEMPLATE_NOT_FOUND, "null 400 TemplateNotFoundException"),
                Map.entry(ErrorCode.EXCLUSION_ALREADY_EXISTS, "null 400 ExclusionAlreadyExistsException"),
                Map.entry(ErrorCode.EXCLUSION_NOT_FOUND, "null 400 ExclusionNotFoundException"),
                Map.entry(ErrorCode.SCAN_NOT_FOUND, "null 400 ScanNotFoundException"),
                Map.entry(ErrorCode.UNSUPPORTED_IMAGE_TYPE, "null 400 UnsupportedImageTypeException"),
                Map.entry(ErrorCode.IMAGE_ARCHIVED, "null 400 ImageArchivedException"),
                Map.entry(ErrorCode.LIMIT_EXCEEDED, "null 400 LimitExceededException"),
                Map.entry(ErrorCode.IMAGE_STORAGE_CLASS_UPDATE_NOT_SUPPORTED,
                        "null 400 ImageStorageClassUpdateNotSupportedException"),
                Map.entry(ErrorCode.PULL_THROUGH_RULE_ALREADY_EXISTS,
                        "null 400 PullThroughCacheRuleAlreadyExistsException"),
                Map.entry(ErrorCode.PULL_THROUGH_RULE_NOT_FOUND, "null 400 PullThroughCacheRuleNotFoundException"),
                Map.entry(ErrorCode.UNSUPPORTED_UPSTREAM_REGISTRY, "null 400 UnsupportedUpstreamRegistryException"),
                Map.entry(ErrorCode.SECRET_NOT_FOUND, "null 400 SecretNotFoundException"),
                Map.entry(ErrorCode.RESOURCE_EXISTS, "null 400 ResourceExistsException"),
                Map.entry(ErrorCode.INVALID_REQUEST, "null 400 InvalidRequestException"),
                Map.entry(ErrorCode.UPSTREAM_IMAGE_UNAVAILABLE, "UNAVAILABLE 502 UnableToGetUpstreamImageException"),
                Map.entry(ErrorCode.UPSTREAM_LAYER_UNAVAILABLE, "UNAVAILABLE 502 UnableToGetUpstreamLayerException"),
                Map.entry(ErrorCode.SIGNING_CONFIGURATION_NOT_FOUND,
                        "null 400 SigningConfigurationNotFoundException"),
                Map.entry(ErrorCode.SIGNER_RESOURCE_NOT_FOUND, "null 400 ResourceNotFoundException"),
                Map.entry(ErrorCode.SIGNER_CONFLICT, "null 400 ConflictException"),
                Map.entry(ErrorCode.SIGNER_TAG_NOT_FOUND, "null 400 NotFoundException"),
                Map.entry(ErrorCode.SIGNER_BAD_REQUEST, "null 400 BadRequestException"),
                Map.entry(ErrorCode.KMS_NOT_FOUND, "null 400 NotFoundException"),
                Map.entry(ErrorCode.KMS_INVALID_CIPHERTEXT, "null 400 InvalidCiphertextException"),
                Map.entry(ErrorCode.KMS_INCORRECT_KEY, "null 400 IncorrectKeyException"),
                Map.entry(ErrorCode.KMS_DISABLED, "null 400 DisabledException"),
                Map.entry(ErrorCode.KMS_INVALID_STATE, "null 400 KMSInvalidStateException"),
                Map.entry(ErrorCode.KMS_ALREADY_EXISTS, "null 400 AlreadyExistsException"),
                Map.entry(ErrorCode.KMS_MALFORMED_POLICY, "null 400 MalformedPolicyDocumentException"),
                Map.entry(ErrorCode.KMS_INVALID_ALIAS_NAME, "null 400 InvalidAliasNameException"),
                Map.entry(ErrorCode.KMS_INVALID_MARKER, "null 400 InvalidMarkerException"),
                Map.entry(ErrorCode.KMS_UNSUPPORTED, "null 400 UnsupportedOperationException"),
                Map.entry(ErrorCode.KMS_KEY_UNUSABLE, "DENIED 403 KmsException"),
                Map.entry(ErrorCode.VALIDATION, "null 400 ValidationException"),
                Map.entry(ErrorCode.SERIALIZATION, "null 400 SerializationException"),
                Map.entry(ErrorCode.UNKNOWN_OPERATION, "null 400 UnknownOperationException"),
                Map.entry(ErrorCode.REQUEST_TOO_LARGE, "null 413 RequestEntityTooLargeException"),
                Map.entry(ErrorCode.UNAVAILABLE, "UNAVAILABLE 503 ServerException"),
                Map.entry(ErrorCode.INTERNAL, "UNKNOWN 500 ServerException"));
        Map<ErrorCode, String> actual = Arrays.stream(ErrorCode.values()).collect(Collectors.toMap(c -> c,
                c -> c.ociCode() + " " + c.httpStatus() + " " + c.awsType(AwsService.ECR)));
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void ecrAwsStatus_clientFaults400ServerFaults500_exceptMissingToken403AndTooLarge413() {
        for (ErrorCode c : ErrorCode.values()) {
            // ECR models the upstream failures of a pull-through cache as client exceptions (400)
            boolean upstream = c == ErrorCode.UPSTREAM_IMAGE_UNAVAILABLE || c == ErrorCode.UPSTREAM_LAYER_UNAVAILABLE;
            int expected = c == ErrorCode.AUTHENTICATION_MISSING ? 403
                    : c == ErrorCode.REQUEST_TOO_LARGE ? 413 : upstream ? 400 : c.serverFault() ? 500 : 400;
            assertThat(c.awsStatus(AwsService.ECR)).as("ECR status of " + c.name()).isEqualTo(expected);
        }
    }

    /** STS's Query protocol renames the authentication errors (403) and the unknown action; the rest is ECR's. */
    @Test
    void sts_overridesOnlyItsQueryProtocolNames_everyOtherEntryAsEcr() {
        Map<ErrorCode, String> overridden = Map.of(
                ErrorCode.UNAUTHORIZED, "403 InvalidClientTokenId",
                ErrorCode.SIGNATURE_INVALID, "403 SignatureDoesNotMatch",
                ErrorCode.AUTHENTICATION_MISSING, "403 MissingAuthenticationToken",
                ErrorCode.SIGNATURE_INCOMPLETE, "400 IncompleteSignature",
                ErrorCode.UNSUPPORTED, "400 InvalidAction");
        assertOverridesOnly(AwsService.STS, overridden);
    }

    /** Signer's REST-JSON statuses (404, 409, 403) and names; the rest is ECR's. */
    @Test
    void signer_overridesItsStatusesAndNames_everyOtherEntryAsEcr() {
        Map<ErrorCode, String> overridden = Map.ofEntries(
                Map.entry(ErrorCode.UNAUTHORIZED, "403 UnrecognizedClientException"),
                Map.entry(ErrorCode.SIGNATURE_INVALID, "403 InvalidSignatureException"),
                Map.entry(ErrorCode.SIGNATURE_INCOMPLETE, "403 IncompleteSignatureException"),
                Map.entry(ErrorCode.INVALID_PARAMETER, "400 ValidationException"),
                Map.entry(ErrorCode.SIGNER_RESOURCE_NOT_FOUND, "404 ResourceNotFoundException"),
                Map.entry(ErrorCode.SIGNER_CONFLICT, "409 ConflictException"),
                Map.entry(ErrorCode.SIGNER_TAG_NOT_FOUND, "404 NotFoundException"),
                Map.entry(ErrorCode.DENIED, "403 AccessDeniedException"),
                Map.entry(ErrorCode.UNKNOWN_OPERATION, "404 UnknownOperationException"),
                Map.entry(ErrorCode.SERIALIZATION, "400 BadRequestException"),
                Map.entry(ErrorCode.TOO_MANY_REQUESTS, "429 TooManyRequestsException"),
                Map.entry(ErrorCode.INTERNAL, "500 InternalServiceErrorException"));
        assertOverridesOnly(AwsService.SIGNER, overridden);
    }

    /** KMS renames malformed input, unsupported operations and its own faults; the rest is the table's. */
    @Test
    void kms_overridesOnlyItsOwnNames_everyOtherEntryAsEcr() {
        Map<ErrorCode, String> overridden = Map.of(
                ErrorCode.INVALID_PARAMETER, "400 ValidationException",
                ErrorCode.UNSUPPORTED, "400 UnsupportedOperationException",
                ErrorCode.UNAVAILABLE, "503 DependencyTimeoutException",
                ErrorCode.INTERNAL, "500 KMSInternalException");
        assertOverridesOnly(AwsService.KMS, overridden);
    }

    /** Secrets Manager names a missing secret ResourceNotFoundException; the rest is ECR's. */
    @Test
    void secretsManager_overridesOnlySecretNotFound() {
        assertOverridesOnly(AwsService.SECRETS_MANAGER,
                Map.of(ErrorCode.SECRET_NOT_FOUND, "400 ResourceNotFoundException"));
    }

    @Test
    void serverFault_onlyFor5xx() {
        for (ErrorCode c : ErrorCode.values()) {
            assertThat(c.serverFault()).as(c.name()).isEqualTo(c.httpStatus() >= 500);
        }
    }

    /** {@code service} answers each {@code overridden} entry ("status Type") as given and every other entry as ECR. */
    private static void assertOverridesOnly(AwsService service, Map<ErrorCode, String> overridden) {
        for (ErrorCode c : ErrorCode.values()) {
            String expected = overridden.getOrDefault(c, c.awsStatus(AwsService.ECR) + " "
                    + c.awsType(AwsService.ECR));
            assertThat(c.awsStatus(service) + " " + c.awsType(service)).as(service + " " + c.name())
                    .isEqualTo(expected);
        }
    }
}
