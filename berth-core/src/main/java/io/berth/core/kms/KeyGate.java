package io.berth.core.kms;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.spi.meta.KmsKeyRecord;
import io.berth.core.spi.meta.RepositorySettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * ECR's rule for repositories encrypted with a KMS key ({@code KMS}, {@code KMS_DSSE}): pulls and pushes need the
 * key usable. A key that is gone, disabled or pending deletion makes them fail with {@code KmsException} (on /v2,
 * DENIED with a message that says so); enabling it again restores both. The repository's key is its
 * {@code kmsKey}, or the account's {@code alias/aws/ecr} key (created on first use) when it names none.
 *
 * <p>What it reads is cached for {@link #TTL}, so a data-plane request costs no extra query in the common case;
 * a key's state change shows within that time on every node.
 *
 * <p>Every {@code account} here is the repository's regional registry, so its key resolves in the repository's
 * region (a kmsKey ARN of another region is refused at creation, as ECR requires the key in the same region) and
 * its {@code alias/aws/ecr} is that region's.
 */
public final class KeyGate {
    static final Duration TTL = Duration.ofSeconds(1);
    private static final int MAX_ENTRIES = 10_000;

    private final KeyService service;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    /** A repository's encryption (type and key), which cannot change while it exists. */
    private final ConcurrentHashMap<String, Encryption> repositories = new ConcurrentHashMap<>();

    public KeyGate(KeyService service) {
        this.service = service;
    }

    private record Cached(String unusable, Instant until) {}

    private record Encryption(String type, String kmsKey, Instant until) {}

    /**
     * At repository creation: the key ARN a KMS repository is created with ({@code kmsKey} resolved in any KMS
     * form, or the account's {@code alias/aws/ecr} key), or null for AES256. KmsException when the key cannot be
     * used.
     */
    public String resolveForCreation(RegistryId account, String encryptionType, String kmsKey) {
        if (!isKms(encryptionType)) {
            return kmsKey;
        }
        Keys keys = service.keys();
        Keys.Found f;
        try {
            f = kmsKey == null ? service.managedEcrKey(account)
                    : keys.store().read(tx -> keys.find(tx, keys.ref(kmsKey, account)));
        } catch (RegistryException e) {
            throw unusable("the KMS key " + kmsKey + " cannot be used: " + e.getMessage() + " (KMS error: "
                    + e.code().awsType(io.berth.core.error.AwsService.KMS) + ")");
        }
        String problem = problem(keys, f);
        if (problem != null) {
            throw unusable(problem);
        }
        return keys.arn(f);
    }

    /**
     * Throws KmsException unless the repository's key (if it has one) is usable now; {@code settings} reads the
     * repository's settings (null when it does not exist) when they are not cached.
     */
    public void require(RegistryId account, RepositoryName repo, Supplier<RepositorySettings> settings) {
        Instant now = service.keys().now();
        Encryption e = encryption(account, repo, settings, now);
        if (!isKms(e.type())) {
            return;
        }
        String kmsKey = e.kmsKey();
        String cacheKey = account.key() + "\n" + (kmsKey == null ? KeyService.ECR_MANAGED_ALIAS : kmsKey);
        Cached c = cache.get(cacheKey);
        if (c == null || !now.isBefore(c.until())) {
            c = new Cached(check(account, kmsKey), now.plus(TTL));
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
            cache.put(cacheKey, c);
        }
        if (c.unusable() != null) {
            throw unusable("repository " + repo + " is encrypted with " + c.unusable());
        }
    }

    /**
     * A KMS repository's envelope form ({@code KMS} or {@code KMS_DSSE}) and key ARN (the account's
     * {@code alias/aws/ecr} key's when it names none); null for an AES256 repository or one that does not exist.
     */
    public RepositoryKey repositoryKey(RegistryId account, RepositoryName repo, Supplier<RepositorySettings> settings) {
        Encryption e = encryption(account, repo, settings, service.keys().now());
        if (!isKms(e.type())) {
            return null;
        }
        String arn = e.kmsKey() != null ? e.kmsKey() : service.keys().arn(service.managedEcrKey(account));
        return new RepositoryKey(e.type(), arn);
    }

    /** What {@link #repositoryKey} answers. */
    public record RepositoryKey(String form, String keyArn) {}

    private Encryption encryption(RegistryId account, RepositoryName repo, Supplier<RepositorySettings> settings,
                                  Instant now) {
        String repoKey = account.key() + "\n" + repo.value();
        Encryption e = repositories.get(repoKey);
        if (e == null || !now.isBefore(e.until())) {
            RepositorySettings s = settings.get();
            if (s == null) {
                // not (yet) a repository: not cached, or one created as KMS within the TTL would pass as AES256
                return new Encryption("AES256", null, now);
            }
            e = new Encryption(s.encryptionType(), s.kmsKey(), now.plus(TTL));
            if (repositories.size() >= MAX_ENTRIES) {
                repositories.clear();
            }
            repositories.put(repoKey, e);
        }
        return e;
    }

    /** Null when usable, else why not. */
    private String check(RegistryId account, String kmsKey) {
        Keys keys = service.keys();
        if (kmsKey == null) {
            return problem(keys, service.managedEcrKey(account));
        }
        try {
            Optional<Keys.Found> f = keys.store().read(tx -> Optional.of(keys.find(tx, keys.ref(kmsKey, account))));
            return problem(keys, f.get());
        } catch (RegistryException e) {
            return "the KMS key " + kmsKey + ", which does not exist (KMS error: NotFoundException)";
        }
    }

    private static String problem(Keys keys, Keys.Found f) {
        if (KmsKeyRecord.DISABLED.equals(f.state())) {
            return "the KMS key " + keys.arn(f) + ", which is disabled (KMS error: DisabledException)";
        }
        if (KmsKeyRecord.PENDING_DELETION.equals(f.state())) {
            return "the KMS key " + keys.arn(f) + ", which is pending deletion (KMS error: KMSInvalidStateException)";
        }
        return null;
    }

    private static boolean isKms(String encryptionType) {
        return "KMS".equals(encryptionType) || "KMS_DSSE".equals(encryptionType);
    }

    private static RegistryException unusable(String why) {
        return new RegistryException(ErrorCode.KMS_KEY_UNUSABLE, why);
    }
}
