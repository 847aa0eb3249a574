package io.berth.core.signing;

import io.berth.core.model.RegistryId;
import io.berth.core.spi.meta.SigningStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The private keys of the signing PKI, which only the server can unseal (they are sealed under its master key).
 * Core code signs and verifies through this and never sees how keys are stored.
 */
public interface SigningKeys {

    /** A profile's signing key and its chain, leaf first and the registry's root last. */
    record KeyMaterial(PrivateKey key, List<X509Certificate> chain) {}

    /** The registry's signing root certificate, created (and stored) on first use. */
    X509Certificate root(RegistryId registry);

    /** Unseals the profile's key; throws IllegalStateException when it does not unseal. */
    KeyMaterial forProfile(RegistryId registry, SigningStore.Profile profile);
}
