package io.berth.core.secrets;

import io.berth.core.auth.Principal;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import io.berth.core.region.Regions;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.SecretRecord;
import io.berth.core.spi.meta.SecretVersionRecord;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The Secrets Manager subset Berth serves, for the credentials of pull-through cache rules: secrets per account,
 * each with an {@code AWSCURRENT} and an {@code AWSPREVIOUS} value, sealed by a {@link SecretSealer}. A deletion is
 * scheduled 7 to 30 days ahead (30 by default) and can be undone until then, or is immediate when forced; a
 * secret past its deletion date is gone (purged when next touched). Values are read only by the principal that
 * created the secret ({@link #value}), or by Berth itself for a rule's upstream login ({@link #currentValue}).
 * Callers validated the fields' shapes; this class owns names, existence, deletion and versions.
 */
public final class Secrets {
    /** Secrets Manager's characters for a name; the ARN adds a hyphen and six random characters. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");
    public static final int DEFAULT_RECOVERY_DAYS = 30;
    private static final String SUFFIX_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MetadataStore metadata;
    private final SecretSealer sealer;
    private final Clock clock;
    private final Regions regions;

    /**
     * Every method takes the registry of (account, region) a call addresses (as {@link Regions#registry} gives it):
     * each account has its own secrets in each region, and their ARNs name that region.
     */
    public Secrets(MetadataStore metadata, SecretSealer sealer, Clock clock, Regions regions) {
        this.metadata = metadata;
        this.sealer = sealer;
        this.clock = clock;
        this.regions = regions;
    }

    /** A secret with its current version ID (null when it has no value yet). */
    public record Versioned(SecretView secret, String versionId) {
        Versioned(SecretRecord secret, String versionId) {
            this(SecretView.of(secret), versionId);
        }
    }

    /** A secret and its versions, newest first (DescribeSecret). */
    public record Described(SecretView secret, List<SecretView.Version> versions) {
        Described(SecretRecord secret, List<SecretVersionRecord> versions) {
            this(SecretView.of(secret), versions.stream().map(SecretView.Version::of).toList());
        }
    }

    /** A value as GetSecretValue answers it. */
    public record Read(SecretView secret, SecretView.Version version, SecretValue value) {}

    /**
     * CreateSecret in {@code registry}, {@code owner}'s account in one region. ResourceExists when the name is
     * taken, InvalidRequest when a secret of that name is scheduled for deletion (as Secrets Manager answers both).
     */
    public Versioned create(Principal owner, RegistryId registry, String name, String description, String kmsKeyId,
                            String tagsJson, SecretValue value, String token) {
        if (!NAME.matcher(name).matches()) {
            throw invalidParameter("Invalid name. Must be a valid name containing alphanumeric characters, or any "
                    + "of the following: -/_+=.@!");
        }
        if (!registry.sameAccount(owner.account())) {
            throw new IllegalArgumentException("a secret is created in its owner's account");
        }
        Instant now = clock.instant();
        RegistryId account = registry;
        return metadata.write(tx -> {
            Optional<SecretRecord> existing = tx.secrets().get(account, name);
            if (existing.isPresent() && expired(existing.get(), now)) {
                tx.secrets().delete(existing.get().arn());
            } else if (existing.isPresent() && existing.get().deletionDate() != null) {
                throw new RegistryException(ErrorCode.INVALID_REQUEST, "You can't create this secret because a "
                        + "secret with this name is already scheduled for deletion.");
            } else if (existing.isPresent()) {
                throw new RegistryException(ErrorCode.RESOURCE_EXISTS, "The operation failed because the secret "
                        + name + " already exists.");
            }
            SecretRecord s = new SecretRecord(account, name, arn(account, name), description, kmsKeyId, tagsJson,
                    owner.arn(), now, now, null, null, null);
            tx.secrets().create(s);
            String versionId = null;
            if (value != null) {
                versionId = token != null ? token : UUID.randomUUID().toString();
                tx.secrets().addCurrent(sealed(s, versionId, value, now));
            }
            return new Versioned(s, versionId);
        });
    }

    /**
     * PutSecretValue: a new AWSCURRENT. A token naming an existing version with the same value changes nothing
     * (the retry of a call that succeeded); with another value it is ResourceExists.
     */
    public Versioned put(RegistryId account, String secretId, SecretValue value, String token) {
        Instant now = clock.instant();
        return metadata.write(tx -> {
            SecretRecord s = live(require(tx, account, secretId, now));
            String versionId = token != null ? token : UUID.randomUUID().toString();
            Optional<SecretVersionRecord> same = tx.secrets().version(s.arn(), versionId);
            if (same.isPresent()) {
                if (!open(same.get()).sameAs(value)) {
                    throw new RegistryException(ErrorCode.RESOURCE_EXISTS, "You can't modify an existing version, "
                            + "you can only create a new version.");
                }
                return new Versioned(s, versionId);
            }
            tx.secrets().addCurrent(sealed(s, versionId, value, now));
            SecretRecord changed = s.changed(s.description(), s.kmsKeyId(), now);
            tx.secrets().update(changed);
            return new Versioned(changed, versionId);
        });
    }

    public Described describe(RegistryId account, String secretId) {
        Instant now = clock.instant();
        return metadata.read(tx -> {
            SecretRecord s = require(tx, account, secretId, now);
            return new Described(s, tx.secrets().versions(s.arn()));
        });
    }

    /** ListSecrets: in name order after {@code afterName}, at most {@code limit}, with their versions. */
    public List<Described> list(RegistryId account, String afterName, int limit, boolean includeDeleted,
                                String namePrefix) {
        Instant now = clock.instant();
        return metadata.read(tx -> {
            List<Described> out = new ArrayList<>();
            String after = afterName;
            while (out.size() < limit) {
                List<SecretRecord> page = tx.secrets().list(account, after, limit, includeDeleted);
                for (SecretRecord s : page) {
                    if (!expired(s, now) && (namePrefix == null || s.name().startsWith(namePrefix))
                            && out.size() < limit) {
                        out.add(new Described(s, tx.secrets().versions(s.arn())));
                    }
                }
                if (page.size() < limit) {
                    break;
                }
                after = page.get(page.size() - 1).name();
            }
            return out;
        });
    }

    /**
     * DeleteSecret: scheduled {@code recoveryDays} (7 to 30, default 30) ahead, or gone at once when
     * {@code force}. The answer carries the deletion date. A scheduled secret may only be forced out.
     */
    public SecretView delete(RegistryId account, String secretId, Integer recoveryDays, boolean force) {
        if (force && recoveryDays != null) {
            throw invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with "
                    + "RecoveryWindowInDays.");
        }
        if (recoveryDays != null && (recoveryDays < 7 || recoveryDays > 30)) {
            throw invalidParameter("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
        }
        Instant now = clock.instant();
        return metadata.write(tx -> {
            SecretRecord s = require(tx, account, secretId, now);
            if (force) {
                tx.secrets().delete(s.arn());
                return SecretView.of(s.deleted(now, now));
            }
            live(s);
            int days = recoveryDays == null ? DEFAULT_RECOVERY_DAYS : recoveryDays;
            SecretRecord scheduled = s.deleted(now, now.plus(Duration.ofDays(days)));
            tx.secrets().update(scheduled);
            return SecretView.of(scheduled);
        });
    }

    /** RestoreSecret: cancels a scheduled deletion (a secret not scheduled stays as it is). */
    public SecretView restore(RegistryId account, String secretId) {
        Instant now = clock.instant();
        return metadata.write(tx -> {
            SecretRecord s = require(tx, account, secretId, now);
            if (s.deletionDate() == null) {
                return SecretView.of(s);
            }
            SecretRecord restored = s.deleted(null, null).changed(s.description(), s.kmsKeyId(), now);
            tx.secrets().update(restored);
            return SecretView.of(restored);
        });
    }

    /**
     * GetSecretValue for {@code caller} in {@code registry} (the caller's account in the signed region): only the
     * principal that created the secret reads its values (Berth has no resource policies for secrets), anyone else
     * is AccessDenied whether or not the secret exists.
     */
    public Read value(Principal caller, RegistryId registry, String secretId, String versionId,
                      String versionStage) {
        Instant now = clock.instant();
        return metadata.write(tx -> {
            Optional<SecretRecord> found = find(tx, registry, secretId, now);
            if (found.isEmpty() || !found.get().ownerArn().equals(caller.arn())) {
                String resource = found.map(SecretRecord::arn).orElse(secretId);
                throw new RegistryException(ErrorCode.DENIED, "User: " + caller.arn() + " is not authorized to "
                        + "perform: secretsmanager:GetSecretValue on resource: " + resource + " because only the "
                        + "principal that created a secret may read its value");
            }
            SecretRecord s = live(found.get());
            SecretVersionRecord v = version(tx, s, versionId, versionStage);
            Instant day = now.truncatedTo(ChronoUnit.DAYS);
            if (!day.equals(s.lastAccessedAt())) {
                s = s.accessed(day);
                tx.secrets().update(s);
            }
            return new Read(SecretView.of(s), SecretView.Version.of(v), open(v));
        });
    }

    /**
     * The current value of the secret {@code arn} names in {@code account}, for Berth's own use (a pull-through
     * rule's upstream login); empty when there is no such live secret or it has no value.
     */
    public Optional<SecretValue> currentValue(RegistryId account, String arn) {
        Instant now = clock.instant();
        return metadata.read(tx -> find(tx, account, arn, now)
                .filter(s -> s.deletionDate() == null)
                .flatMap(s -> tx.secrets().versions(s.arn()).stream()
                        .filter(v -> SecretVersionRecord.CURRENT.equals(v.stage())).findFirst())
                .map(this::open));
    }

    private SecretVersionRecord version(MetadataStore.Tx tx, SecretRecord s, String versionId, String stage) {
        List<SecretVersionRecord> versions = tx.secrets().versions(s.arn());
        String wantStage = versionId == null && stage == null ? SecretVersionRecord.CURRENT : stage;
        for (SecretVersionRecord v : versions) {
            if ((versionId == null || versionId.equals(v.versionId()))
                    && (wantStage == null || wantStage.equals(v.stage()))) {
                return v;
            }
        }
        throw new RegistryException(ErrorCode.SECRET_NOT_FOUND, versionId != null
                ? "Secrets Manager can't find the specified secret value for VersionId: " + versionId
                : "Secrets Manager can't find the specified secret value for staging label: " + wantStage);
    }

    private SecretRecord require(MetadataStore.Tx tx, RegistryId account, String secretId, Instant now) {
        return find(tx, account, secretId, now).orElseThrow(() -> new RegistryException(ErrorCode.SECRET_NOT_FOUND,
                "Secrets Manager can't find the specified secret."));
    }

    /**
     * The secret {@code secretId} names in {@code account}: a name, a full ARN, or a partial ARN (without the random
     * suffix), as Secrets Manager accepts. An ARN of another account or region names nothing here.
     */
    private Optional<SecretRecord> find(MetadataStore.Tx tx, RegistryId account, String secretId, Instant now) {
        Optional<SecretRecord> s;
        String arnPrefix = arnPrefix(account);
        if (!secretId.startsWith("arn:")) {
            s = tx.secrets().get(account, secretId);
        } else if (!secretId.startsWith(arnPrefix)) {
            s = Optional.empty();
        } else {
            s = tx.secrets().byArn(secretId);
            if (s.isEmpty()) {
                s = tx.secrets().get(account, secretId.substring(arnPrefix.length()));
            }
        }
        return s.filter(r -> r.account().equals(account) && !expired(r, now));
    }

    private static SecretRecord live(SecretRecord s) {
        if (s.deletionDate() != null) {
            throw new RegistryException(ErrorCode.INVALID_REQUEST, "You can't perform this operation on the secret "
                    + "because it was marked for deletion.");
        }
        return s;
    }

    private static boolean expired(SecretRecord s, Instant now) {
        return s.deletionDate() != null && !s.deletionDate().isAfter(now);
    }

    private SecretVersionRecord sealed(SecretRecord s, String versionId, SecretValue value, Instant now) {
        return new SecretVersionRecord(s.arn(), versionId, SecretVersionRecord.CURRENT, value.isBinary(),
                sealer.seal(s.arn() + "/" + versionId, value.bytes()), now);
    }

    private SecretValue open(SecretVersionRecord v) {
        return SecretValue.of(v.binary(), sealer.open(v.arn() + "/" + v.versionId(), v.sealed()));
    }

    private String arn(RegistryId account, String name) {
        StringBuilder suffix = new StringBuilder(6);
        for (int i = 0; i < 6; i++) {
            suffix.append(SUFFIX_CHARS.charAt(RANDOM.nextInt(SUFFIX_CHARS.length())));
        }
        return arnPrefix(account) + name + "-" + suffix;
    }

    /** {@code arn:aws:secretsmanager:<region>:<account>:secret:}, the region being the registry's. */
    private String arnPrefix(RegistryId registry) {
        return "arn:aws:secretsmanager:" + regions.nameOf(registry) + ":" + registry.value() + ":secret:";
    }

    private static RegistryException invalidParameter(String message) {
        return new RegistryException(ErrorCode.INVALID_PARAMETER, message);
    }
}
