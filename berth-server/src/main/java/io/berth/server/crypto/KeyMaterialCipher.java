package io.berth.server.crypto;

import io.berth.core.kms.KeyMaterialSeal;
import javax.crypto.AEADBadTagException;

/**
 * Seals the key service's key material for the database ({@link Aead} under the purpose
 * {@code berth/kms-key-material/v1}): a leaked backup alone reveals no key, and every node with the same master key
 * opens it.
 */
public final class KeyMaterialCipher implements KeyMaterialSeal {
    private final Aead aead;

    public KeyMaterialCipher(MasterKey master) {
        this.aead = Aead.derived(master, "berth/kms-key-material/v1");
    }

    @Override
    public byte[] seal(String associatedData, byte[] material) {
        return aead.seal(associatedData, material);
    }

    @Override
    public byte[] open(String associatedData, byte[] sealed) {
        try {
            return aead.open(associatedData, sealed);
        } catch (IllegalArgumentException | AEADBadTagException e) {
            throw new IllegalStateException("key material of " + associatedData + " does not open: the master key "
                    + "differs from the one it was stored under (set BERTH_MASTER_KEY on every node alike)", e);
        }
    }
}
