package io.berth.server.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;

class AeadTest {
    private static final MasterKey KEY = MasterKey.of(filled((byte) 7));
    private static final byte[] PLAIN = "position".getBytes(StandardCharsets.UTF_8);

    private static byte[] filled(byte b) {
        byte[] key = new byte[MasterKey.BYTES];
        Arrays.fill(key, b);
        return key;
    }

    @Test
    void open_sameKeyPurposeAndAssociatedData_returnsThePlaintext() throws Exception {
        Aead aead = Aead.derived(KEY, "berth/test/v1");
        byte[] sealed = aead.seal("catalog", PLAIN);

        assertThat(Aead.derived(MasterKey.of(filled((byte) 7)), "berth/test/v1").open("catalog", sealed))
                .isEqualTo(PLAIN);
        assertThat(sealed).as("a random nonce each time").isNotEqualTo(aead.seal("catalog", PLAIN));
    }

    @Test
    void open_otherAssociatedDataPurposeOrMasterKey_isRefused() {
        byte[] sealed = Aead.derived(KEY, "berth/test/v1").seal("catalog", PLAIN);

        assertThatThrownBy(() -> Aead.derived(KEY, "berth/test/v1").open("repositories", sealed))
                .isInstanceOf(AEADBadTagException.class);
        assertThatThrownBy(() -> Aead.derived(KEY, "berth/other/v1").open("catalog", sealed))
                .isInstanceOf(AEADBadTagException.class);
        assertThatThrownBy(() -> Aead.derived(MasterKey.of(filled((byte) 8)), "berth/test/v1").open("catalog", sealed))
                .isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void open_alteredOrForeignBytes_isRefused() {
        Aead aead = Aead.derived(KEY, "berth/test/v1");
        byte[] altered = aead.seal("catalog", PLAIN);
        altered[altered.length - 1] ^= 1;

        assertThatThrownBy(() -> aead.open("catalog", altered)).isInstanceOf(AEADBadTagException.class);
        assertThatThrownBy(() -> aead.open("catalog", new byte[5])).isInstanceOf(IllegalArgumentException.class);
        byte[] otherVersion = aead.seal("catalog", PLAIN);
        otherVersion[0] = 2;
        assertThatThrownBy(() -> aead.open("catalog", otherVersion)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The bytes of an access key secret stored before the crypto package existed must keep decrypting. */
    @Test
    void decrypt_secretStoredByEarlierVersions_returnsTheSecret() {
        byte[] stored = Base64.getDecoder()
                .decode("AQABAgMEBQYHCAkKCyWx63OsNunjaXpfi3qnrtCjaTZAQ1wHWYUGFExkAhtAI8650pbjfqjDl64/Ue6A6q77jmacmL3h");

        assertThat(new SecretCipher(KEY).decrypt("AKIAEXAMPLE0000000000", stored))
                .isEqualTo("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        assertThatThrownBy(() -> new SecretCipher(KEY).decrypt("AKIAOTHER00000000000", stored))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not decrypt");
        assertThatThrownBy(() -> new SecretCipher(KEY).decrypt("AKIAEXAMPLE0000000000", new byte[3]))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("unknown format");
    }
}
