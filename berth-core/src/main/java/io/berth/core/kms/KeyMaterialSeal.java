package io.berth.core.kms;

/**
 * Seals key material for the store and opens it again: the server implements it with the master key (an AEAD
 * under a key derived for this one purpose), so the database alone never reveals a key. The associated data binds
 * a sealed value to its row (account, key, version): copied onto another row it does not open.
 */
public interface KeyMaterialSeal {
    byte[] seal(String associatedData, byte[] material);

    /** @throws IllegalStateException when it does not open (another master key, or altered) */
    byte[] open(String associatedData, byte[] sealed);
}
