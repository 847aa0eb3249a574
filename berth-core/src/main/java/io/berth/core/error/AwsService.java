package io.berth.core.error;

import java.util.Map;

/**
 * The AWS services Berth answers, each with the error names it spells differently from the {@link ErrorCode}
 * table's AWS column (which holds ECR's). KMS ({@code NotFoundException}) will be one constant too, with its
 * overrides.
 */
public enum AwsService {
    /** ECR: the table's AWS column as it stands. */
    ECR(Map.of()),
    /**
     * STS on the Query protocol the CLI and SDKs use: the Query API's names for the authentication errors, answered
     * 403, and {@code InvalidAction} for an operation it does not have.
     */
    STS(Map.of(
            ErrorCode.UNAUTHORIZED, new AwsError("InvalidClientTokenId", 403),
            ErrorCode.SIGNATURE_INVALID, new AwsError("SignatureDoesNotMatch", 403),
            ErrorCode.AUTHENTICATION_MISSING, new AwsError("MissingAuthenticationToken", 403),
            ErrorCode.SIGNATURE_INCOMPLETE, new AwsError("IncompleteSignature", 400),
            ErrorCode.UNSUPPORTED, new AwsError("InvalidAction", 400))),
    /**
     * AWS Signer on REST-JSON: its not-found and conflict statuses, 403 for a denied or unauthenticated call (the
     * REST-JSON services answer the authentication errors 403), ValidationException for any malformed parameter
     * (it has no InvalidParameterException), and its own names for a malformed body, throttling and internal errors.
     */
    SIGNER(Map.ofEntries(
            Map.entry(ErrorCode.UNAUTHORIZED, new AwsError("UnrecognizedClientException", 403)),
            Map.entry(ErrorCode.SIGNATURE_INVALID, new AwsError("InvalidSignatureException", 403)),
            Map.entry(ErrorCode.SIGNATURE_INCOMPLETE, new AwsError("IncompleteSignatureException", 403)),
            Map.entry(ErrorCode.INVALID_PARAMETER, new AwsError("ValidationException", 400)),
            Map.entry(ErrorCode.SIGNER_RESOURCE_NOT_FOUND, new AwsError("ResourceNotFoundException", 404)),
            Map.entry(ErrorCode.SIGNER_CONFLICT, new AwsError("ConflictException", 409)),
            Map.entry(ErrorCode.SIGNER_TAG_NOT_FOUND, new AwsError("NotFoundException", 404)),
            Map.entry(ErrorCode.DENIED, new AwsError("AccessDeniedException", 403)),
            Map.entry(ErrorCode.UNKNOWN_OPERATION, new AwsError("UnknownOperationException", 404)),
            Map.entry(ErrorCode.SERIALIZATION, new AwsError("BadRequestException", 400)),
            Map.entry(ErrorCode.TOO_MANY_REQUESTS, new AwsError("TooManyRequestsException", 429)),
            Map.entry(ErrorCode.INTERNAL, new AwsError("InternalServiceErrorException", 500)))),
    /** Secrets Manager (JSON 1.1): a missing secret or version is {@code ResourceNotFoundException}. */
    SECRETS_MANAGER(Map.of(
            ErrorCode.SECRET_NOT_FOUND, new AwsError("ResourceNotFoundException", 400))),
    /** KMS (TrentService, JSON 1.1): its own names for malformed input and its internal fault. */
    KMS(Map.of(
            ErrorCode.INVALID_PARAMETER, new AwsError("ValidationException", 400),
            ErrorCode.UNSUPPORTED, new AwsError("UnsupportedOperationException", 400),
            ErrorCode.UNAVAILABLE, new AwsError("DependencyTimeoutException", 503),
            ErrorCode.INTERNAL, new AwsError("KMSInternalException", 500)));

    /** A service's own name and status for a condition. */
    public record AwsError(String type, int status) {}

    private final Map<ErrorCode, AwsError> overrides;

    AwsService(Map<ErrorCode, AwsError> overrides) {
        this.overrides = overrides;
    }

    /** The service's own spelling of {@code code}, or null when it answers with the table's. */
    AwsError override(ErrorCode code) {
        return overrides.get(code);
    }
}
