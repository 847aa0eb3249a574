package io.berth.server.signer;

import io.berth.core.model.RegistryId;
import io.berth.core.signing.Certificates;
import io.berth.core.signing.SigningKeys;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.SigningStore;
import io.berth.server.crypto.Aead;
import io.berth.server.crypto.MasterKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.crypto.AEADBadTagException;

/**
 * The signing PKI's private keys, sealed under the master key ({@link Aead} with the purpose
 * {@code berth/signing-key/v1}) before they reach the database. The associated data names the key's place (the
 * registry's root, or a registry's profile), so a sealed key copied onto another row does not unseal. A registry's
 * root is made on first use; two nodes racing make one, the loser reading the winner's.
 */
public final class SealedSigningKeys implements SigningKeys {
    /** Root validity: long enough to outlive every profile certificate under it. */
    static final Duration ROOT_VALIDITY = Duration.ofDays(365L * 30);
    /** Profile certificate validity: covers Signer's longest signatureValidityPeriod (135 months by default). */
    static final Duration PROFILE_VALIDITY = Duration.ofDays(365L * 20);

    private final Aead aead;
    private final MetadataStore metadata;
    private final Clock clock;

    public SealedSigningKeys(MasterKey master, MetadataStore metadata, Clock clock) {
        this.aead = Aead.derived(master, "berth/signing-key/v1");
        this.metadata = metadata;
        this.clock = clock;
    }

    @Override
    public X509Certificate root(RegistryId registry) {
        return Certificates.parse(rootRow(registry).certificate());
    }

    /** A new profile's key pair and certificate under the registry's root, sealed for the profile's row. */
    public SigningStore.Profile newProfile(RegistryId registry, String name, String version, String platformId,
                                           int validityValue, String validityType) {
        SigningStore.Root root = rootRow(registry);
        X509Certificate rootCert = Certificates.parse(root.certificate());
        PrivateKey rootKey = unseal(rootAd(registry), root.keyEncrypted());
        KeyPair pair = Certificates.newP384KeyPair();
        Instant now = clock.instant();
        X509Certificate leaf = Certificates.leaf(pair.getPublic(), "Berth signing profile " + name + " ("
                + registry.value() + ")", rootCert, rootKey, now.minus(Duration.ofHours(1)),
                now.plus(PROFILE_VALIDITY));
        return new SigningStore.Profile(name, version, platformId, validityValue, validityType, "Active", null,
                Certificates.der(leaf), aead.seal(profileAd(registry, name), pair.getPrivate().getEncoded()), null,
                null, null, now, now);
    }

    @Override
    public KeyMaterial forProfile(RegistryId registry, SigningStore.Profile profile) {
        PrivateKey key = unseal(profileAd(registry, profile.name()), profile.keyEncrypted());
        return new KeyMaterial(key, List.of(Certificates.parse(profile.certificate()), root(registry)));
    }

    private SigningStore.Root rootRow(RegistryId registry) {
        return metadata.read(tx -> tx.signing().root(registry)).orElseGet(() -> {
            KeyPair pair = Certificates.newP384KeyPair();
            Instant now = clock.instant();
            X509Certificate cert = Certificates.root(pair, registry.value(), now.minus(Duration.ofHours(1)),
                    now.plus(ROOT_VALIDITY));
            SigningStore.Root mine = new SigningStore.Root(Certificates.der(cert),
                    aead.seal(rootAd(registry), pair.getPrivate().getEncoded()), now);
            return metadata.write(tx -> {
                tx.signing().createRoot(registry, mine);
                return tx.signing().root(registry).orElseThrow();
            });
        });
    }

    private PrivateKey unseal(String ad, byte[] sealed) {
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(aead.open(ad, sealed)));
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("the signing key of " + ad + " does not unseal: the master key differs "
                    + "from the one it was stored under (set BERTH_MASTER_KEY on every node alike)", e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the signing key of " + ad + " has an unknown format", e);
        }
    }

    private static String rootAd(RegistryId registry) {
        return "root:" + registry.key(); // the key: another region's row does not unseal either
    }

    private static String profileAd(RegistryId registry, String name) {
        return "profile:" + registry.key() + ":" + name;
    }
}
