package io.berth.core.kms;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import io.berth.core.region.Regions;
import java.util.regex.Pattern;

/**
 * A key as a call names it, in any of KMS's four forms: a key ID (UUID), a key ARN, an alias name
 * ({@code alias/...}) or an alias ARN. A name in none of them, or an ARN of another region or service, is KMS's
 * {@code NotFoundException} ("Invalid keyId"), not a validation error.
 *
 * <p>Keys are regional, as in KMS: a caller's registry ({@link RegistryId} with its region) resolves key IDs and
 * aliases in its own region, and an ARN must name that region. The registry's own envelope encryption, which has no
 * caller, may name a key ARN of any region the deployment serves (replication re-wraps for another region's key).
 *
 * @param account the registry (account in a region) the key or alias belongs to (the caller's unless an ARN names
 *                another account)
 * @param keyId   the UUID when the reference names a key; null for an alias
 * @param alias   the alias name ({@code alias/x}) when it names an alias; null for a key
 */
public record KeyRef(RegistryId account, String keyId, String alias) {
    static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
    static final Pattern ALIAS = Pattern.compile("alias/[a-zA-Z0-9/_-]{1,250}");
    static final int MAX_LENGTH = 2048;

    /**
     * @param caller  the calling registry, whose region the reference is resolved in; null for the registry's own
     *                use, which accepts only ARNs (of any served region)
     */
    public static KeyRef parse(String value, RegistryId caller, Regions regions) {
        if (value == null || value.isEmpty()) {
            throw new RegistryException(ErrorCode.VALIDATION, "1 validation error detected: Value at 'keyId' failed "
                    + "to satisfy constraint: Member must have length greater than or equal to 1");
        }
        if (value.length() > MAX_LENGTH) {
            throw new RegistryException(ErrorCode.VALIDATION, "1 validation error detected: Value at 'keyId' failed "
                    + "to satisfy constraint: Member must have length less than or equal to " + MAX_LENGTH);
        }
        if (value.startsWith("arn:")) {
            String[] p = value.split(":", 6);
            boolean region = p.length == 6 && (caller == null ? regions.serves(p[3])
                    : p[3].equals(regions.nameOf(caller)));
            if (region && p[1].equals("aws") && p[2].equals("kms") && ACCOUNT.matcher(p[4]).matches()) {
                RegistryId account = regions.registry(new RegistryId(p[4]), p[3]);
                if (p[5].startsWith("key/") && UUID.matcher(p[5].substring(4)).matches()) {
                    return new KeyRef(account, p[5].substring(4), null);
                }
                if (ALIAS.matcher(p[5]).matches()) {
                    return new KeyRef(account, null, p[5]);
                }
            }
            throw invalid(value);
        }
        if (caller == null) {
            throw invalid(value);
        }
        if (value.startsWith("alias/")) {
            if (!ALIAS.matcher(value).matches()) {
                throw invalid(value);
            }
            return new KeyRef(caller, null, value);
        }
        if (UUID.matcher(value).matches()) {
            return new KeyRef(caller, value, null);
        }
        throw invalid(value);
    }

    public boolean isAlias() { return alias != null; }

    public static String keyArn(String region, RegistryId account, String keyId) {
        return "arn:aws:kms:" + region + ":" + account.value() + ":key/" + keyId;
    }

    public static String aliasArn(String region, RegistryId account, String alias) {
        return "arn:aws:kms:" + region + ":" + account.value() + ":" + alias;
    }

    private static RegistryException invalid(String value) {
        return new RegistryException(ErrorCode.KMS_NOT_FOUND, "Invalid keyId '" + value + "'");
    }
}
