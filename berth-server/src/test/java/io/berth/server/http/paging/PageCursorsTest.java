package io.berth.server.http.paging;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.server.crypto.MasterKey;
import io.berth.server.crypto.SecretCipher;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PageCursorsTest {
    private static final MasterKey KEY = MasterKey.of(new byte[32]);

    @Test
    void open_cursorOfThisKind_returnsThePosition_onEveryNodeSharingTheMasterKey() {
        String cursor = new PageCursors(KEY).seal("catalog", "team/secret-app");

        assertThat(new PageCursors(MasterKey.of(new byte[32])).open("catalog", cursor)).hasValue("team/secret-app");
        assertThat(cursor).doesNotContain("secret");
    }

    @Test
    void open_otherKindOrOtherMasterKeyOrGarbage_isEmpty() {
        PageCursors cursors = new PageCursors(KEY);
        String cursor = cursors.seal("catalog", "app");

        assertThat(cursors.open("repositories", cursor)).isEmpty();
        assertThat(PageCursors.ephemeral().open("catalog", cursor)).isEmpty();
        assertThat(cursors.open("catalog", "not base64 !")).isEmpty();
        assertThat(cursors.open("catalog", "")).isEmpty();
        assertThat(cursors.open("catalog", null)).isEmpty();
        assertThat(cursors.open("catalog", "A".repeat(4097))).isEmpty();
    }

    /** Cursors have a key of their own: a stored access key secret never opens as a cursor, nor the reverse. */
    @Test
    void open_storedSecretSealedUnderTheSameMasterKey_isEmpty() {
        byte[] secret = new SecretCipher(KEY).encrypt("catalog", "app");

        assertThat(new PageCursors(KEY).open("catalog",
                Base64.getUrlEncoder().withoutPadding().encodeToString(secret))).isEmpty();
    }
}
