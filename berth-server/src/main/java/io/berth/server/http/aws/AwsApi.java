package io.berth.server.http.aws;

import java.util.function.Function;

/**
 * One AWS service on one wire format, as a table the plane's core ({@link AwsApiHandler}) runs: its name, the
 * service its calls are signed for, its protocol (which carries the service's error names, from
 * {@link io.berth.core.error.AwsService}), the body limit of each operation, its operations and its audit hook.
 * Adding KMS or Secrets Manager is one more of these on {@link JsonProtocol}, with its own operation table.
 *
 * @param name        the service's name in logs, such as {@code ECR}
 * @param signingName the SigV4 service name its calls are signed for, such as {@code ecr}
 * @param limits      the body limit of an operation (given null when the call names none before its body)
 */
public record AwsApi(String name, String signingName, AwsProtocol protocol, Function<String, BodyLimit> limits,
                     AwsOperations operations, AwsAudit audit) {}
