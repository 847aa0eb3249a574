package io.berth.server.http.ecr;

import io.berth.core.model.RepositoryName;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses {@code arn:aws:ecr:<region>:<account>:repository/<name>} for the resource-tag operations. */
final class RepositoryArn {
    private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:ecr:[a-z0-9-]+:([0-9]{12}):repository/(.+)");

    private RepositoryArn() {}

    static RepositoryName parse(EcrCall call, String arn) {
        Validation.required("resourceArn", arn);
        Matcher m = ARN.matcher(arn);
        if (!m.matches()) {
            throw Validation.invalid("resourceArn", "Invalid ARN: must be arn:aws:ecr:<region>:<account>:"
                    + "repository/<name>");
        }
        call.checkRegistryId(m.group(1));
        return Validation.repositoryName("resourceArn", m.group(2));
    }
}
