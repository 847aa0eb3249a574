package io.berth.core.spi.meta;

import io.berth.core.model.RegistryId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Access policies as text (parsing and validation live in {@code io.berth.core.policy}, above this store): repository
 * and registry policies, IAM users' inline policies, customer-managed policies and their attachments, plus the
 * account settings that change how policies apply ({@code REGISTRY_POLICY_SCOPE}).
 *
 * <p>Every change bumps one {@link #generation() generation counter} in the same transaction, so each node's
 * parsed-policy cache can notice another node's change by reading one row.
 */
public interface PolicyStore {

    /** Where a policy lives; {@code owner} and {@code name} of a {@link PolicyKey} mean different things per kind. */
    enum Kind { REPOSITORY, REGISTRY, USER_INLINE, MANAGED }

    /**
     * The identity of one stored policy. REPOSITORY: owner = repository name, name "". REGISTRY: owner and name "".
     * USER_INLINE: owner = user name, name = policy name. MANAGED: owner "", name = policy name.
     */
    record PolicyKey(RegistryId account, Kind kind, String owner, String name) {
        public PolicyKey {
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(kind, "kind");
            if (kind == Kind.USER_INLINE || kind == Kind.MANAGED) {
                account = account.account(); // IAM is global: an account's IAM policies are in no region
            }
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(name, "name");
        }

        public static PolicyKey repository(RegistryId account, String repository) {
            return new PolicyKey(account, Kind.REPOSITORY, repository, "");
        }

        public static PolicyKey registry(RegistryId account) { return new PolicyKey(account, Kind.REGISTRY, "", ""); }

        public static PolicyKey userInline(RegistryId account, String user, String policyName) {
            return new PolicyKey(account, Kind.USER_INLINE, user, policyName);
        }

        public static PolicyKey managed(RegistryId account, String policyName) {
            return new PolicyKey(account, Kind.MANAGED, "", policyName);
        }
    }

    Optional<String> get(PolicyKey key);

    /** Inserts or replaces the policy. */
    void put(PolicyKey key, String document);

    /** False when there was no such policy (the generation is then unchanged). */
    boolean delete(PolicyKey key);

    /** Keys of the account's policies of {@code kind}, of one owner or of all ({@code owner} null), by owner, name. */
    List<PolicyKey> list(RegistryId account, Kind kind, String owner);

    /** Attaches a managed policy (by ARN) to a user; false when it was attached already. */
    boolean attach(RegistryId account, String user, String policyArn);

    /** False when the policy was not attached. */
    boolean detach(RegistryId account, String user, String policyArn);

    /** ARNs of the policies attached to the user, in ARN order. */
    List<String> attached(RegistryId account, String user);

    Optional<String> setting(RegistryId account, String name);

    void putSetting(RegistryId account, String name, String value);

    /** Grows with every change made through this store; starts at 0 in a new database. */
    long generation();
}
