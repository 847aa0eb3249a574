package io.berth.server.http.ecr;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.pullthrough.PullThroughRules;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The fields of the pull-through cache rule operations, validated as ECR does, plus what Berth cannot do refused in
 * so many words: Berth assumes no IAM roles, so a rule that would need one is never accepted and then ignored. A
 * {@code credentialArn} must name a secret of the account ({@code PullThrough#requireSecret}). Beyond ECR, any OCI
 * registry's URL is an upstream ({@code upstreamRegistry} left out), including {@code http://} ones.
 */
final class PullThroughInput {
    static final Pattern PREFIX = Pattern.compile(
            "^((?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*/?|ROOT)$");
    static final Pattern CREDENTIAL_ARN = Pattern.compile(
            "^arn:aws:secretsmanager:[a-zA-Z0-9-:]+:secret:ecr\\-pullthroughcache\\/[a-zA-Z0-9\\/_+=.@-]+$");
    /** A host with an optional port, optionally as an http(s) URL; never user info, a path or a query. */
    static final Pattern URL = Pattern.compile("^(https?://)?([A-Za-z0-9.-]+)(:[0-9]{1,5})?/?$");
    static final List<String> KINDS = List.of("ecr", "ecr-public", "quay", "k8s", "docker-hub",
            "github-container-registry", "azure-container-registry", "gitlab-container-registry", "chainguard");
    /** ECR's upstreams that need a Secrets Manager credential. */
    static final List<String> NEED_SECRET = List.of("docker-hub", "github-container-registry",
            "azure-container-registry", "gitlab-container-registry", "chainguard");
    private static final Map<String, String> HOSTS = Map.of("public.ecr.aws", "ecr-public", "registry.k8s.io", "k8s",
            "quay.io", "quay", "registry-1.docker.io", "docker-hub", "ghcr.io", "github-container-registry",
            "registry.gitlab.com", "gitlab-container-registry", "cgr.dev", "chainguard");

    private PullThroughInput() {}

    static String prefix(String prefix) {
        ModelConstraints.required("ecrRepositoryPrefix", prefix);
        ModelConstraints.length("ecrRepositoryPrefix", prefix, 2, 30);
        ModelConstraints.pattern("ecrRepositoryPrefix", prefix, PREFIX);
        return PullThroughRules.normalizePrefix(prefix);
    }

    static String upstreamRepositoryPrefix(String prefix) {
        if (prefix == null) {
            return PullThroughRules.ROOT;
        }
        ModelConstraints.length("upstreamRepositoryPrefix", prefix, 2, 30);
        ModelConstraints.pattern("upstreamRepositoryPrefix", prefix, PREFIX);
        return PullThroughRules.normalizePrefix(prefix);
    }

    /**
     * The kind of upstream {@code url} is (ECR's name; null for another OCI registry), checked against the
     * {@code upstreamRegistry} the caller named.
     */
    static String upstream(String url, String kind) {
        ModelConstraints.required("upstreamRegistryUrl", url);
        ModelConstraints.length("upstreamRegistryUrl", url, 1, 512);
        ModelConstraints.oneOf("upstreamRegistry", kind, KINDS);
        if (url.contains("@")) {
            throw new RegistryException(ErrorCode.INVALID_PARAMETER, "Invalid parameter at 'upstreamRegistryUrl' "
                    + "failed to satisfy constraint: 'the URL must not contain credentials; name a secret in "
                    + "credentialArn instead'");
        }
        var m = URL.matcher(url);
        if (!m.matches()) {
            throw new RegistryException(ErrorCode.INVALID_PARAMETER, "Invalid parameter at 'upstreamRegistryUrl' "
                    + "failed to satisfy constraint: 'a registry host such as quay.io (or https://host:port), "
                    + "without a path or query'");
        }
        String host = m.group(2).toLowerCase(Locale.ROOT);
        String actual = HOSTS.get(host);
        if (actual == null && host.endsWith(".azurecr.io")) {
            actual = "azure-container-registry";
        } else if (actual == null && host.matches("[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?")) {
            actual = "ecr";
        }
        if (kind != null && !kind.equals(actual)) {
            throw new RegistryException(ErrorCode.UNSUPPORTED_UPSTREAM_REGISTRY, "The upstream registry URL '" + url
                    + "' is not a supported URL for the upstream registry '" + kind + "'");
        }
        if ("ecr".equals(actual)) {
            throw new RegistryException(ErrorCode.UNSUPPORTED_UPSTREAM_REGISTRY, "Berth cannot authenticate to an "
                    + "Amazon ECR upstream yet (that needs an IAM role); name another OCI registry as the upstream");
        }
        return actual;
    }

    /**
     * ECR's checks of the credential and role: a role is refused (Berth assumes none), and an upstream ECR requires
     * a secret for ({@link #NEED_SECRET}) is refused without one, as ECR does.
     */
    static void credentials(String credentialArn, String customRoleArn, String kind) {
        ModelConstraints.length("credentialArn", credentialArn, 50, 612);
        ModelConstraints.pattern("credentialArn", credentialArn, CREDENTIAL_ARN);
        ModelConstraints.length("customRoleArn", customRoleArn, 0, 2048);
        ModelConstraints.pattern("customRoleArn", customRoleArn, TemplateInput.ROLE_ARN);
        if (customRoleArn != null) {
            throw new RegistryException(ErrorCode.INVALID_PARAMETER, "Invalid parameter at 'customRoleArn' failed to "
                    + "satisfy constraint: 'Berth does not assume IAM roles for upstream pulls yet; leave it out'");
        }
        if (credentialArn == null && kind != null && NEED_SECRET.contains(kind)) {
            throw new RegistryException(ErrorCode.INVALID_PARAMETER, "Invalid parameter at 'credentialArn' failed to "
                    + "satisfy constraint: 'the upstream registry " + kind + " requires a credentialArn'");
        }
    }
}
