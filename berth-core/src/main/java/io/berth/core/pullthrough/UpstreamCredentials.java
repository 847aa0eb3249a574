package io.berth.core.pullthrough;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.model.RegistryId;
import java.io.IOException;
import java.util.Optional;

/**
 * Where a rule's {@code credentialArn} is looked up: the current SecretString of that Secrets Manager secret in the
 * rule's account. As in ECR, the secret is JSON with {@code username} and {@code accessToken}, which the upstream
 * client sends as Basic credentials, or to the token endpoint of a Bearer challenge.
 */
@FunctionalInterface
public interface UpstreamCredentials {
    /** No secrets at all: every credentialArn names nothing. */
    UpstreamCredentials NONE = (registryId, arn) -> Optional.empty();

    /** The secret's current string value; empty when the account has no such live secret (or it holds none). */
    Optional<String> secretString(RegistryId registryId, String credentialArn);

    /**
     * The rule's login: null for an anonymous rule; an {@link UpstreamClient.UpstreamException} when its secret is
     * gone or is not the JSON ECR requires, so a pull fails as an upstream failure would (cached copies are still
     * served).
     */
    default UpstreamClient.Credentials of(RegistryId registryId, PullThroughRule rule) throws IOException {
        if (rule.credentialArn() == null) {
            return null;
        }
        String json = secretString(registryId, rule.credentialArn()).orElseThrow(() ->
                new UpstreamClient.UpstreamException("the secret " + rule.credentialArn() + " of the pull through "
                        + "cache rule does not exist (or has no value) in the account " + registryId, 0));
        JsonNode node;
        try {
            node = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            node = null;
        }
        if (node == null || !node.path("username").isTextual() || !node.path("accessToken").isTextual()) {
            throw new UpstreamClient.UpstreamException("the secret " + rule.credentialArn() + " is not a JSON "
                    + "object with the string members username and accessToken", 0);
        }
        return new UpstreamClient.Credentials(node.get("username").asText(), node.get("accessToken").asText());
    }
}
