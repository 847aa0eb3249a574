package io.berth.server.access;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.event.EventRecorder;
import io.berth.core.model.RegistryId;
import io.berth.core.policy.PolicyDocument;
import io.berth.core.policy.PolicyParser;
import io.berth.core.service.ServiceOptions;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.RegistryEvent;
import io.berth.core.spi.meta.RegistryEvent.Setting;
import io.berth.core.spi.meta.PolicyStore.Kind;
import io.berth.core.spi.meta.PolicyStore.PolicyKey;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Changing policies: validates each document with the policy library before storing it, and drops this node's
 * {@link PolicyCache} after every change (other nodes notice through the store's generation counter). Used by the
 * ECR policy actions and by {@code berth admin}.
 */
public final class Policies {
    public static final String REGISTRY_POLICY_SCOPE = "REGISTRY_POLICY_SCOPE";
    /** The only actions a registry policy may name, and the only ones it governs, under scope V1. */
    public static final Set<String> V1_ACTIONS =
            Set.of("ecr:replicateimage", "ecr:batchimportupstreamimage", "ecr:createrepository");
    private static final Pattern POLICY_NAME = Pattern.compile("[\\w+=,.@-]{1,128}");
    private static final Pattern MANAGED_ARN =
            Pattern.compile("arn:aws(?:-cn|-us-gov)?:iam::([0-9]{12}):policy/(?:[\\x21-\\x7E]*/)?([\\w+=,.@-]{1,128})");

    private final MetadataStore store;
    private final PolicyCache cache;
    private final EventRecorder events;
    /** Who the events of repository and registry policy changes name (see {@link #actingAs}). */
    private final String actor;

    /** For tests of policy evaluation: events name the default region. */
    public Policies(MetadataStore store, PolicyCache cache) {
        this(store, cache, new EventRecorder(ServiceOptions.DEFAULT_REGION, java.time.Clock.systemUTC()));
    }

    public Policies(MetadataStore store, PolicyCache cache, EventRecorder events) {
        this(store, cache, events, EventRecorder.ADMIN);
    }

    private Policies(MetadataStore store, PolicyCache cache, EventRecorder events, String actor) {
        this.store = store;
        this.cache = cache;
        this.events = events;
        this.actor = actor;
    }

    /**
     * These policies, with the events of repository and registry policy changes naming {@code actingFor} (an ARN);
     * the plain instance names {@link EventRecorder#ADMIN}, for {@code berth admin}.
     */
    public Policies actingAs(String actingFor) {
        return new Policies(store, cache, events, actingFor);
    }

    public PolicyCache cache() { return cache; }

    /** The name of a customer-managed policy of {@code account} from its ARN; empty for any other ARN. */
    public static Optional<String> managedPolicyName(RegistryId account, String arn) {
        Matcher m = MANAGED_ARN.matcher(arn);
        return m.matches() && m.group(1).equals(account.value()) ? Optional.of(m.group(2)) : Optional.empty();
    }

    public static String managedPolicyArn(RegistryId account, String name) {
        return "arn:aws:iam::" + account.value() + ":policy/" + name;
    }

    // --- repository policies ---

    /** Validates and stores; the caller checks that the repository exists and the lock-out rule. */
    public void setRepositoryPolicy(RegistryId account, String repository, PolicyDocument doc) {
        put(PolicyKey.repository(account, repository), doc.text(),
                events.settingChanged(account, repository, Setting.REPOSITORY_POLICY, "set", actor));
    }

    public Optional<String> repositoryPolicy(RegistryId account, String repository) {
        return store.read(tx -> tx.policies().get(PolicyKey.repository(account, repository)));
    }

    public boolean deleteRepositoryPolicy(RegistryId account, String repository) {
        return delete(PolicyKey.repository(account, repository),
                events.settingChanged(account, repository, Setting.REPOSITORY_POLICY, "deleted", actor));
    }

    // --- registry policy and scope ---

    /** Validates (under scope V1 only the three V1 actions are accepted) and stores. */
    public PolicyDocument putRegistryPolicy(RegistryId account, String text) {
        PolicyDocument doc = PolicyParser.registry().parse(text);
        if (registryPolicyScope(account).equals("V1") && !doc.actionsWithin(V1_ACTIONS)) {
            throw new RegistryException(ErrorCode.INVALID_PARAMETER, "Invalid parameter at 'PolicyText' failed to "
                    + "satisfy constraint: 'Invalid registry policy provided': with REGISTRY_POLICY_SCOPE V1 only "
                    + "ecr:ReplicateImage, ecr:BatchImportUpstreamImage and ecr:CreateRepository may be used");
        }
        put(PolicyKey.registry(account), text, events.settingChanged(account, null, Setting.REGISTRY_POLICY, "set",
                actor));
        return doc;
    }

    public Optional<String> registryPolicy(RegistryId account) {
        return store.read(tx -> tx.policies().get(PolicyKey.registry(account)));
    }

    public boolean deleteRegistryPolicy(RegistryId account) {
        return delete(PolicyKey.registry(account), events.settingChanged(account, null, Setting.REGISTRY_POLICY,
                "deleted", actor));
    }

    /** {@code V1} or {@code V2} (the default, as in ECR today). */
    public String registryPolicyScope(RegistryId account) {
        return store.read(tx -> tx.policies().setting(account, REGISTRY_POLICY_SCOPE)).orElse("V2");
    }

    public void setRegistryPolicyScope(RegistryId account, String value) {
        if (!value.equals("V1") && !value.equals("V2")) {
            throw new RegistryException(ErrorCode.INVALID_PARAMETER,
                    "Invalid parameter at 'value' failed to satisfy constraint: 'Member must be one of [V1, V2]'");
        }
        store.write(tx -> {
            tx.policies().putSetting(account, REGISTRY_POLICY_SCOPE, value);
            events.append(tx, events.settingChanged(account, null, Setting.ACCOUNT_SETTING,
                    REGISTRY_POLICY_SCOPE + "=" + value, actor));
            return null;
        });
        cache.invalidate();
    }

    // --- identity policies ---

    public void putUserPolicy(RegistryId account, String user, String policyName, String text) {
        requireUser(account, user);
        PolicyParser.identity().parse(text);
        put(PolicyKey.userInline(account, user, checkName(policyName)), text);
    }

    public boolean deleteUserPolicy(RegistryId account, String user, String policyName) {
        return delete(PolicyKey.userInline(account, user, policyName));
    }

    /** Inline policy names of the user, in name order. */
    public List<String> userPolicyNames(RegistryId account, String user) {
        return store.read(tx -> tx.policies().list(account, Kind.USER_INLINE, user)).stream()
                .map(PolicyKey::name).toList();
    }

    public Optional<String> userPolicy(RegistryId account, String user, String policyName) {
        return store.read(tx -> tx.policies().get(PolicyKey.userInline(account, user, policyName)));
    }

    /** Creates a customer-managed policy; returns its ARN. Refuses an existing name, as IAM does. */
    public String createPolicy(RegistryId account, String name, String text) {
        PolicyParser.identity().parse(text);
        PolicyKey key = PolicyKey.managed(account, checkName(name));
        store.write(tx -> {
            if (tx.policies().get(key).isPresent()) {
                throw new RegistryException(ErrorCode.INVALID_PARAMETER,
                        "A policy called " + name + " already exists. Duplicate names are not allowed.");
            }
            tx.policies().put(key, text);
            return null;
        });
        cache.invalidate();
        return managedPolicyArn(account, name);
    }

    public void attachUserPolicy(RegistryId account, String user, String policyArn) {
        requireUser(account, user);
        String name = managedPolicyName(account, policyArn).orElseThrow(() -> new RegistryException(
                ErrorCode.INVALID_PARAMETER, "Policy " + policyArn + " is not a policy of account " + account));
        store.write(tx -> {
            if (tx.policies().get(PolicyKey.managed(account, name)).isEmpty()) {
                throw new RegistryException(ErrorCode.INVALID_PARAMETER, "Policy " + policyArn
                        + " does not exist or is not attachable.");
            }
            return tx.policies().attach(account, user, policyArn);
        });
        cache.invalidate();
    }

    public boolean detachUserPolicy(RegistryId account, String user, String policyArn) {
        boolean detached = store.write(tx -> tx.policies().detach(account, user, policyArn));
        cache.invalidate();
        return detached;
    }

    public List<String> attachedUserPolicies(RegistryId account, String user) {
        return store.read(tx -> tx.policies().attached(account, user));
    }

    private void requireUser(RegistryId account, String user) {
        if (store.read(tx -> tx.identities().getUser(account, user)).isEmpty()) {
            throw new RegistryException(ErrorCode.INVALID_PARAMETER,
                    "The user with name " + user + " cannot be found in account " + account + ".");
        }
    }

    private static String checkName(String name) {
        if (name == null || !POLICY_NAME.matcher(name).matches()) {
            throw new RegistryException(ErrorCode.INVALID_PARAMETER,
                    "Invalid policy name '" + name + "': 1 to 128 of letters, digits and +=,.@_-");
        }
        return name;
    }

    private void put(PolicyKey key, String text) {
        put(key, text, null);
    }

    /** Stores the policy and, for a resource policy, its event ({@code event} null for identity policies). */
    private void put(PolicyKey key, String text, RegistryEvent event) {
        store.write(tx -> {
            tx.policies().put(key, text);
            if (event != null) {
                events.append(tx, event);
            }
            return null;
        });
        cache.invalidate();
    }

    private boolean delete(PolicyKey key) {
        return delete(key, null);
    }

    /** Deletes the policy; its event is written only when there was one to delete. */
    private boolean delete(PolicyKey key, RegistryEvent event) {
        boolean deleted = store.write(tx -> {
            boolean gone = tx.policies().delete(key);
            if (gone && event != null) {
                events.append(tx, event);
            }
            return gone;
        });
        cache.invalidate();
        return deleted;
    }
}
