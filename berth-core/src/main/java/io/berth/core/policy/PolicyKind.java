package io.berth.core.policy;

/**
 * Which kind of policy a document is; it decides the structural rules and the wording of refusals.
 * <ul>
 *   <li>{@link #REPOSITORY} and {@link #REGISTRY} are resource-based policies: {@code Principal} (or
 *       {@code NotPrincipal}) is required and {@code Resource} may be omitted, which means "the resource the policy is
 *       attached to" (ECR user guide, repository policies). Sids need not be unique (ecr-semantics §2.6).</li>
 *   <li>{@link #IDENTITY} policies are attached to a user: {@code Principal} is prohibited ("You cannot use the
 *       Principal element in an identity-based policy", IAM Principal element page), {@code Resource} is required,
 *       and Sids must be unique within the document (IAM Sid element page).</li>
 * </ul>
 */
public enum PolicyKind {
    REPOSITORY("repository"),
    REGISTRY("registry"),
    IDENTITY("identity");

    private final String label;

    PolicyKind(String label) { this.label = label; }

    /** The word ECR puts into {@code 'Invalid <label> policy provided'}. */
    public String label() { return label; }

    public boolean isResourcePolicy() { return this != IDENTITY; }
}
