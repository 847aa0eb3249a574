package io.berth.core.secrets;

/**
 * Encrypts secret values for the database (the server's master-key AEAD, as access-key secrets are). The context
 * is the associated data: a value copied onto another secret's or version's row does not open.
 */
public interface SecretSealer {
    byte[] seal(String context, byte[] plain);

    /** Throws {@link IllegalStateException} when the value was sealed under another key or altered. */
    byte[] open(String context, byte[] sealed);
}
