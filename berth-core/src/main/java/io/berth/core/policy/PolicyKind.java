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
    REPOSITORY("repository", "ecr"),
    REGISTRY("registry", "ecr"),
    /** A key service key's policy: a resource policy over {@code kms:} actions. */
    KEY("key", "kms"),
    IDENTITY("identity", null);

    private final String label;
    private final String service;

    PolicyKind(String label, String service) {
        this.label = label;
        this.service = service;
    }

    /** The one service whose actions a resource policy of this kind may name; null for identity policies. */
    public String service() { return service; }

    /** The word ECR puts into {@code 'Invalid <label> policy provided'}. */
    public String label() { return label; }

    public boolean isResourcePolicy() { return this != IDENTITY; }
}
