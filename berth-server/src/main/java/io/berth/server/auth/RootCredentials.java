package io.berth.server.auth;

import io.berth.core.fs.PrivateFiles;
import io.berth.core.model.RegistryId;
import io.berth.core.spi.meta.IdentityStore.AccessKeyRecord;
import io.berth.core.spi.meta.IdentityStore.Status;
import io.berth.server.config.AuthConfig;
import io.berth.server.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * First-start bootstrap of the default account's root access key: from {@code BERTH_ROOT_ACCESS_KEY_ID} and
 * {@code BERTH_ROOT_SECRET_ACCESS_KEY} when set, else generated once and written to {@code <data>/root-credentials}
 * (mode 0600). Later starts find the key and do nothing.
 */
public final class RootCredentials {
    private RootCredentials() {}

    /**
     * Ensures the default account and its root key exist. Returns the key when one was generated now (its secret
     * is then in {@code <data>/root-credentials}); empty when the key was given or already existed.
     */
    public static Optional<Identities.NewKey> bootstrap(Identities identities, AuthConfig auth, Path dataDir) {
        RegistryId account = auth.accountId();
        identities.ensureAccount(account);
        if (auth.rootAccessKeyId().isPresent()) {
            String id = auth.rootAccessKeyId().get();
            String secret = auth.rootSecretAccessKey().orElseThrow();
            Optional<AccessKeyRecord> existing = identities.accessKey(id);
            if (existing.isEmpty()) {
                identities.createAccessKey(account, null, id, secret);
                return Optional.empty();
            }
            AccessKeyRecord k = existing.get();
            Optional<Identities.ActiveKey> active = identities.activeKey(id);
            if (!k.isRoot() || !k.account().equals(account) || k.status() != Status.ACTIVE || active.isEmpty()
                    || !active.get().secret().equals(secret)) {
                throw new ConfigException(List.of("BERTH_ROOT_ACCESS_KEY_ID " + id + " already exists but is not an "
                        + "active root key of account " + account + " with the given secret (revoked, another "
                        + "account's, or a different secret); choose another key ID"));
            }
            return Optional.empty();
        }
        boolean hasRootKey = identities.accessKeys(account).stream()
                .anyMatch(k -> k.isRoot() && k.status() == Status.ACTIVE);
        if (hasRootKey) {
            return Optional.empty();
        }
        Identities.NewKey key = identities.createAccessKey(account, null);
        Path file = dataDir.resolve("root-credentials");
        try {
            Files.deleteIfExists(file);
            PrivateFiles.writeNew(file, "[default]\naws_access_key_id = " + key.accessKeyId()
                    + "\naws_secret_access_key = " + key.secret() + "\n# account " + account + ", region "
                    + auth.region() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return Optional.of(key);
    }

    /** The three commands that configure the AWS CLI and log docker in, for the start output. */
    public static String loginHelp(Identities.NewKey key, Path dataDir, String region, String endpoint) {
        return loginHelp(key, dataDir, region, endpoint, endpoint.replaceFirst("^https?://", "").replaceFirst("/$", ""));
    }

    /** As above, logging docker in to {@code host} (the registry.host-template's host, when one is set). */
    public static String loginHelp(Identities.NewKey key, Path dataDir, String region, String endpoint,
                                   String host) {
        return "Generated the root access key of account " + key.account() + " (saved in "
                + dataDir.resolve("root-credentials") + ", mode 0600). Configure the AWS CLI and log in with:\n"
                + "  aws configure set aws_access_key_id " + key.accessKeyId() + "\n"
                + "  aws configure set aws_secret_access_key $(sed -n 's/^aws_secret_access_key = //p' "
                + dataDir.resolve("root-credentials") + ")\n"
                + "  aws ecr get-login-password --region " + region + " --endpoint-url " + endpoint
                + " | docker login --username AWS --password-stdin " + host;
    }
}
