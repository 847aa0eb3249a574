package io.berth.server.http.aws;

import io.berth.core.error.ErrorCode;

/**
 * The plane's audit hook: called once per call after its answer is written, with the result or the error. Each
 * service decides what it records (ECR every call, as CloudTrail does; STS only refused callers). A failure to
 * record is logged by the core and never reaches the request.
 */
@FunctionalInterface
public interface AwsAudit {
    /**
     * @param operation the operation the call named, or null when it named none or was refused before
     * @param result    the result on success, else null
     * @param error     the error answered, else null
     */
    void record(AwsCall call, String operation, Object result, ErrorCode error, String message);
}
