package io.berth.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.MediaTypes;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the manifest parser with Jazzer, as {@code PolicyParserJazzerTest} does for policies.
 * Every input must parse into a consistent result or be refused with one of the parser's documented codes
 * (MANIFEST_INVALID, MANIFEST_TOO_LARGE); any other exception, a stack overflow or a timeout is a finding.
 *
 * <p>An ordinary build replays the saved inputs under {@code src/test/resources/.../ManifestParserJazzerTestInputs}
 * (valid manifests of each type as seeds, plus any finding kept as a regression input). To fuzz for 20 seconds:
 * {@code ./mvnw -pl berth-core test -Dberth.fuzz=1 -Dtest=ManifestParserJazzerTest}.
 */
class ManifestParserJazzerTest {
    private static final String[] CONTENT_TYPES = {null, "", MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX,
            MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.OCI_MANIFEST + "; charset=utf-8",
            "application/json"};
    private static final AtomicLong INPUTS = new AtomicLong();
    private static final AtomicLong PARSED = new AtomicLong();
    private static final long START = System.nanoTime();

    @FuzzTest(maxDuration = "20s")
    void parse_anyBytes_parsesOrRefusesWithDocumentedCode(FuzzedDataProvider data) {
        INPUTS.incrementAndGet();
        String contentType = CONTENT_TYPES[data.consumeInt(0, CONTENT_TYPES.length - 1)];
        byte[] body = data.consumeRemainingAsBytes();
        ParsedManifest m;
        try {
            m = ManifestParser.parse(contentType, body);
        } catch (RegistryException e) {
            assertThat(e.code()).as("refusal of %d bytes as %s: %s", body.length, contentType, e.getMessage())
                    .isIn(ErrorCode.MANIFEST_INVALID, ErrorCode.MANIFEST_TOO_LARGE);
            return;
        }
        PARSED.incrementAndGet();
        assertThat(MediaTypes.MANIFESTS).as("media type of an accepted manifest").contains(m.mediaType());
        assertThat(m.layerSize()).as("summed layer size").isNotNegative();
        assertThat(m.blobs()).doesNotContainNull();
        assertThat(m.children()).doesNotContainNull();
        assertThat(m.isIndex() ? m.blobs() : m.children()).as("an index lists manifests, an image blobs").isEmpty();
    }

    @AfterAll
    static void report() {
        System.out.printf("ManifestParserJazzerTest: %d inputs in %d ms (%d parsed)%n", INPUTS.get(),
                (System.nanoTime() - START) / 1_000_000, PARSED.get());
    }
}
