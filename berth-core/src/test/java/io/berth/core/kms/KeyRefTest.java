package io.berth.core.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import io.berth.core.region.Regions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** KMS's four key ID forms, and everything else as NotFoundException (KMS's answer to a malformed key ID). */
class KeyRefTest {
    private static final Regions REGIONS = Regions.of("us-east-1", "eu-west-1");
    private static final RegistryId ME = new RegistryId("111122223333");
    private static final RegistryId ME_EU = ME.inRegion("eu-west-1");
    private static final String ID = "1234abcd-12ab-34cd-56ef-1234567890ab";

    @Test
    void theFourForms() {
        assertThat(KeyRef.parse(ID, ME, REGIONS)).isEqualTo(new KeyRef(ME, ID, null));
        assertThat(KeyRef.parse("arn:aws:kms:us-east-1:444455556666:key/" + ID, ME, REGIONS))
                .isEqualTo(new KeyRef(new RegistryId("444455556666"), ID, null));
        assertThat(KeyRef.parse("alias/team/app", ME, REGIONS)).isEqualTo(new KeyRef(ME, null, "alias/team/app"));
        assertThat(KeyRef.parse("arn:aws:kms:us-east-1:111122223333:alias/x", ME, REGIONS))
                .isEqualTo(new KeyRef(ME, null, "alias/x"));
    }

    @Test
    void malformedOrForeign_isNotFound_andEmptyIsValidation() {
        for (String bad : List.of("nope", ID.toUpperCase(), "arn:aws:kms:eu-west-1:111122223333:key/" + ID,
                "arn:aws:s3:us-east-1:111122223333:key/" + ID, "arn:aws:kms:us-east-1:1111:key/" + ID,
                "arn:aws:kms:us-east-1:111122223333:key/short", "alias/", "alias/sp ace", "mrk-1234")) {
            assertThatThrownBy(() -> KeyRef.parse(bad, ME, REGIONS)).as(bad)
                    .isInstanceOfSatisfying(RegistryException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.KMS_NOT_FOUND));
        }
        assertThatThrownBy(() -> KeyRef.parse("", ME, REGIONS)).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION));
        assertThatThrownBy(() -> KeyRef.parse("a".repeat(2049), ME, REGIONS))
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

    @Test
    void keysAreRegionalAnArnOfAnotherRegionIsNotFound() {
        assertThat(KeyRef.parse(ID, ME_EU, REGIONS)).isEqualTo(new KeyRef(ME_EU, ID, null));
        assertThat(KeyRef.parse("arn:aws:kms:eu-west-1:444455556666:key/" + ID, ME_EU, REGIONS))
                .isEqualTo(new KeyRef(new RegistryId("444455556666", "eu-west-1"), ID, null));
        for (RegistryId caller : List.of(ME, ME_EU)) {
            String other = caller.region() == null ? "eu-west-1" : "us-east-1";
            assertThatThrownBy(() -> KeyRef.parse("arn:aws:kms:" + other + ":111122223333:key/" + ID, caller,
                    REGIONS)).isInstanceOfSatisfying(RegistryException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.KMS_NOT_FOUND));
        }
    }

    @Test
    void theRegistrysOwnUseTakesArnsOfAnyServedRegionOnly() {
        assertThat(KeyRef.parse("arn:aws:kms:eu-west-1:111122223333:key/" + ID, null, REGIONS))
                .isEqualTo(new KeyRef(ME_EU, ID, null));
        assertThat(KeyRef.parse("arn:aws:kms:us-east-1:111122223333:key/" + ID, null, REGIONS))
                .isEqualTo(new KeyRef(ME, ID, null));
        for (String bad : List.of("arn:aws:kms:ap-south-1:111122223333:key/" + ID, ID, "alias/aws/ecr")) {
            assertThatThrownBy(() -> KeyRef.parse(bad, null, REGIONS)).as(bad)
                    .isInstanceOfSatisfying(RegistryException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.KMS_NOT_FOUND));
        }
    }
}
