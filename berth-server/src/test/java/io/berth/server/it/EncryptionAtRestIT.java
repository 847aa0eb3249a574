package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Blobs at rest on the filesystem, through the real server: a pushed layer's bytes are nowhere under the data
 * directory in plaintext (not in the blob, not in a session file, not in the database), and it pulls back whole
 * and by ranges.
 */
class EncryptionAtRestIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static final byte[] NEEDLE = "KNOWN-LAYER-MARKER".getBytes(StandardCharsets.US_ASCII);

    private static byte[] layer(int size) {
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[i] = NEEDLE[i % NEEDLE.length];
        }
        return out;
    }

    @Test
    void aPushedLayer_isNowhereInPlaintext_andPullsBackWholeAndByRange() throws Exception {
        byte[] content = layer(300_000);
        Digest d = server.pushBlob("rest/app", content);
        assertThat(filesWithMarker()).as("files under the data directory holding the layer's bytes").isEmpty();

        HttpResponse<byte[]> whole = server.get("/v2/rest/app/blobs/" + d);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(content);
        HttpResponse<byte[]> range = server.get("/v2/rest/app/blobs/" + d, "Range", "bytes=65530-131080");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(content, 65530, 131081));
        assertThat(server.head("/v2/rest/app/blobs/" + d).headers().firstValue("Content-Length"))
                .contains(Integer.toString(content.length));
        assertThat(server.app().startLine()).contains("encrypted at rest");
    }

    private static List<Path> filesWithMarker() throws IOException {
        return filesWithMarker(server.data(), NEEDLE);
    }

    /** The regular files under {@code dir} whose raw bytes contain {@code needle}. */
    static List<Path> filesWithMarker(Path dir, byte[] needle) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> hasMarker(f, needle)).toList();
        }
    }

    private static boolean hasMarker(Path file, byte[] needle) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            outer:
            for (int i = 0; i + needle.length <= bytes.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (bytes[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        } catch (java.nio.file.NoSuchFileException e) {
            return false; // removed while the walk ran (an upload's tail replaced, a session committed)
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
