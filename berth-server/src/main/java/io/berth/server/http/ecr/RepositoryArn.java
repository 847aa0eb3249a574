package io.berth.server.http.ecr;

import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.policy.RequestContext;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code arn:aws:ecr:<region>:<account>:repository/<name>}, the resource ARN of the tag operations. Its region must
 * be this server's: ECR answers InvalidParameterException for an ARN of another region, as for any bad ARN.
 */
record RepositoryArn(RegistryId registry, RepositoryName name) {
    private static final Pattern ARN = Pattern.compile(
            "arn:aws[a-z-]*:ecr:([a-z0-9-]+):([0-9]{12}):repository/(.+)");

    static RepositoryArn parse(String arn, String region) {
        Validation.required("resourceArn", arn);
        Matcher m = ARN.matcher(arn);
        if (!m.matches()) {
            throw Validation.invalid("resourceArn", "Invalid ARN: must be arn:aws:ecr:<region>:<account>:"
                    + "repository/<name>");
        }
        if (!m.group(1).equals(region)) {
            throw Validation.invalid("resourceArn", "Invalid ARN: the region '" + m.group(1) + "' is not this "
                    + "registry's region '" + region + "'");
        }
        return new RepositoryArn(new RegistryId(m.group(2)), Validation.repositoryName("resourceArn", m.group(3)));
    }

    /** The ARN as ECR writes it, in {@code region}: the form policies match resources by. */
    String format(String region) {
        return RequestContext.repositoryArn(region, registry, name.value());
    }
}
