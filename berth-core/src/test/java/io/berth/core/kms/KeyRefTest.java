package io.berth.core.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** KMS's four key ID forms, and everything else as NotFoundException (KMS's answer to a malformed key ID). */
class KeyRefTest {
    private static final RegistryId ME = new RegistryId("111122223333");
    private static final String ID = "1234abcd-12ab-34cd-56ef-1234567890ab";

    @Test
    void theFourForms() {
        assertThat(KeyRef.parse(ID, ME, "us-east-1")).isEqualTo(new KeyRef(ME, ID, null));
        assertThat(KeyRef.parse("arn:aws:kms:us-east-1:444455556666:key/" + ID, ME, "us-east-1"))
                .isEqualTo(new KeyRef(new RegistryId("444455556666"), ID, null));
        assertThat(KeyRef.parse("alias/team/app", ME, "us-east-1")).isEqualTo(new KeyRef(ME, null, "alias/team/app"));
        assertThat(KeyRef.parse("arn:aws:kms:us-east-1:111122223333:alias/x", ME, "us-east-1"))
                .isEqualTo(new KeyRef(ME, null, "alias/x"));
    }

    @Test
    void malformedOrForeign_isNotFound_andEmptyIsValidation() {
        for (String bad : List.of("nope", ID.toUpperCase(), "arn:aws:kms:eu-west-1:111122223333:key/" + ID,
                "arn:aws:s3:us-east-1:111122223333:key/" + ID, "arn:aws:kms:us-east-1:1111:key/" + ID,
                "arn:aws:kms:us-east-1:111122223333:key/short", "alias/", "alias/sp ace", "mrk-1234")) {
            assertThatThrownBy(() -> KeyRef.parse(bad, ME, "us-east-1")).as(bad)
                    .isInstanceOfSatisfying(RegistryException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.KMS_NOT_FOUND));
        }
        assertThatThrownBy(() -> KeyRef.parse("", ME, "us-east-1")).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION));
        assertThatThrownBy(() -> KeyRef.parse("a".repeat(2049), ME, "us-east-1"))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION));
    }

    @Test
    void ciphertextHeader_namesItsKey_andGarbageIsInvalidCiphertext() {
        Ciphertext c = new Ciphertext(ME, ID, 3);
        byte[] material = new byte[32];
        byte[] blob = c.seal(material, java.util.Map.of("a", "b"), new byte[] {1, 2, 3});
        assertThat(Ciphertext.header(blob)).isEqualTo(c);
        assertThat(c.open(material, java.util.Map.of("a", "b"), blob)).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> c.open(material, java.util.Map.of("a", "c"), blob))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.KMS_INVALID_CIPHERTEXT));
        assertThatThrownBy(() -> Ciphertext.header(new byte[] {1, 2, 3}))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.KMS_INVALID_CIPHERTEXT));
    }
}
