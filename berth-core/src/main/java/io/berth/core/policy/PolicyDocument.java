package io.berth.core.policy;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed, validated and compiled policy. Immutable and thread-safe: parse once when the policy is stored or
 * loaded, then evaluate it for every request with {@link PolicyEvaluator}. Obtain one from {@link PolicyParser}.
 */
public final class PolicyDocument {
    private final PolicyKind kind;
    private final String version;
    private final String id;
    private final List<Statement> statements;
    private final String text;

    PolicyDocument(PolicyKind kind, String version, String id, List<Statement> statements, String text) {
        this.kind = kind;
        this.version = version;
        this.id = id;
        this.statements = List.copyOf(statements);
        this.text = text;
    }

    public PolicyKind kind() { return kind; }

    /** {@code 2012-10-17} or {@code 2008-10-17} (also when the document had no Version element). */
    public String version() { return version; }

    public Optional<String> id() { return Optional.ofNullable(id); }

    public int statementCount() { return statements.size(); }

    /** The text exactly as submitted, for GetRepositoryPolicy / GetRegistryPolicy. */
    public String text() { return text; }

    List<Statement> statements() { return statements; }

    /**
     * True when every statement names its actions with {@code Action} (not {@code NotAction}) and each action is
     * one of {@code allowed} (lower case) literally, without wildcards: the test for ECR's V1 registry-policy scope,
     * where only a fixed action list may appear.
     */
    public boolean actionsWithin(Set<String> allowed) {
        for (Statement s : statements) {
            if (s.notAction()) {
                return false;
            }
            for (Glob g : s.actions()) {
                if (!allowed.contains(g.toString())) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * True when a condition may read the repository's tags ({@code ecr:ResourceTag/…}, {@code aws:ResourceTag/…}),
     * so the server loads the tags only for policies that can look at them. A textual check: it may say true for
     * a policy that merely mentions the key elsewhere, which costs a lookup, never a wrong decision.
     */
    public boolean mayReadResourceTags() {
        return text != null && text.toLowerCase(java.util.Locale.ROOT).contains("resourcetag/");
    }

    @Override
    public String toString() {
        return kind.label() + " policy (" + statements.size() + " statements, version " + version + ")";
    }
}
