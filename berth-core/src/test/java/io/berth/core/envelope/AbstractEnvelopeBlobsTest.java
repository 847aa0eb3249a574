package io.berth.core.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.auth.Principal;
import io.berth.core.kms.KeyCaller;
import io.berth.core.region.Regions;
import io.berth.core.blob.fs.FileSystemBlobStore;
import io.berth.core.crypto.SegmentedAead;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.kms.KeyCrypto;
import io.berth.core.kms.KeyMaterialSeal;
import io.berth.core.kms.KeyService;
import io.berth.core.kms.Keys;
import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.spi.blob.BlobNotFoundException;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.meta.AbstractStoreContractTest;
import io.berth.core.spi.meta.EnvelopeStore;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.RepositorySettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Envelope encryption against a real metadata store (subclasses: SQLite, PostgreSQL), the real key service and a
 * real filesystem blob store with its own at-rest encryption off, so the raw files show what the envelope alone does.
 */
public abstract class AbstractEnvelopeBlobsTest extends AbstractStoreContractTest {
    private static final Regions REGIONS = Regions.of("us-east-1", "eu-west-1");
    private static final Principal ROOT_PRINCIPAL = Principal.root(new RegistryId("111122223333"), "AKIAENVELOPETEST");
    private static final KeyCaller ROOT = KeyCaller.of(ROOT_PRINCIPAL);
    private static final KeyCaller ROOT_EU = new KeyCaller(ROOT_PRINCIPAL, new RegistryId("111122223333", "eu-west-1"));
    private static final byte[] MARKER = "BERTH-ENVELOPE-MARKER-7f3a9c".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path blobDir;
    private BlobStore blobs;
    private KeyService keyService;
    private Keys keys;
    private EnvelopeBlobs envelopes;

    @BeforeEach
    void setUpEnvelopes() throws IOException {
        blobs = new FileSystemBlobStore(blobDir);
        SegmentedAead.FileKey sealKey = new SegmentedAead(new byte[32]).newFile();
        KeyMaterialSeal seal = new KeyMaterialSeal() {
            @Override public byte[] seal(String ad, byte[] material) { return sealKey.sealSide(ad, material); }

            @Override public byte[] open(String ad, byte[] sealed) {
                try {
                    return sealKey.openSide(ad, sealed);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        keys = new Keys(store, seal, null, Clock.systemUTC(), REGIONS);
        keyService = new KeyService(keys);
        envelopes = new EnvelopeBlobs(blobs, store, new KeyCrypto(keys), REGIONS, Clock.systemUTC());
    }

    @AfterEach
    void closeBlobs() throws IOException {
        blobs.close();
    }

    @Test
    void aPushedLayersMarker_isInNoFile_andReadsBack() throws IOException {
        byte[] layer = layer(300_000);
        String key = newKey();
        for (String form : List.of(EnvelopeBlobs.KMS, EnvelopeBlobs.KMS_DSSE)) {
            byte[] content = form.equals(EnvelopeBlobs.KMS) ? layer : layer(200_000);
            envelopes.seal(Digest.sha256Of(content), form, key, new ByteArrayInputStream(content));
            assertThat(read(Digest.sha256Of(content), form, key, 0, -1)).isEqualTo(content);
        }
        assertThat(filesContaining(blobDir, MARKER)).as("blob files with the marker").isEmpty();
        assertThat(filesContaining(dir, MARKER)).as("database files with the marker").isEmpty();
        assertThat(countBlobs()).as("one sealed copy per form").isEqualTo(2);
    }

    @Test
    void ranges_decryptOnlyWhatTheyAskFor_inBothForms() throws IOException {
        String key = newKey();
        int size = 3 * SegmentedAead.SEGMENT + 1234;
        for (String form : List.of(EnvelopeBlobs.KMS, EnvelopeBlobs.KMS_DSSE)) {
            byte[] content = layer(size);
            Digest d = Digest.sha256Of(content);
            envelopes.seal(d, form, key, new ByteArrayInputStream(content));
            long[][] ranges = {{0, 10}, {SegmentedAead.SEGMENT - 5, 10}, {SegmentedAead.SEGMENT, SegmentedAead.SEGMENT},
                {size - 7, 7}, {size - 7, 100}, {5, -1}, {size, 0}, {1, 2 * SegmentedAead.SEGMENT + 3}};
            for (long[] r : ranges) {
                int from = (int) r[0];
                int to = r[1] < 0 ? size : (int) Math.min(size, r[0] + r[1]);
                assertThat(read(d, form, key, r[0], r[1])).as(form + " range " + Arrays.toString(r))
                        .isEqualTo(Arrays.copyOfRange(content, from, to));
            }
        }
    }

    @Test
    void aMountAcrossKeys_addsAWrappingNotACopy_andBothReadTheSameBytes() throws IOException {
        String a = newKey();
        String b = newKey();
        String c = newKey();
        byte[] content = layer(150_000);
        Digest d = Digest.sha256Of(content);
        envelopes.seal(d, EnvelopeBlobs.KMS, a, new ByteArrayInputStream(content));
        assertThat(envelopes.addWrappingForKey(d, EnvelopeBlobs.KMS, b)).isTrue();
        assertThat(envelopes.addWrappingForKey(d, EnvelopeBlobs.KMS, b)).as("again").isFalse();
        // a push of the same bytes into a third key's repository: a wrapping too, the stream is not stored again
        envelopes.seal(d, EnvelopeBlobs.KMS, c, new ByteArrayInputStream(content));
        assertThat(countBlobs()).isEqualTo(1);
        assertThat(r((MetadataStore.Tx tx) -> tx.envelopes().wrappings(d, EnvelopeBlobs.KMS)))
                .extracting(EnvelopeStore.Wrapping::keyArn).containsExactlyInAnyOrder(a, b, c);
        assertThat(read(d, EnvelopeBlobs.KMS, b, 0, -1)).isEqualTo(content).isEqualTo(
                read(d, EnvelopeBlobs.KMS, a, 0, -1));
        assertThat(envelopes.holds(d, EnvelopeBlobs.KMS, c)).isTrue();
        assertThat(envelopes.holds(d, EnvelopeBlobs.KMS_DSSE, c)).as("other form").isFalse();
        assertThatThrownBy(() -> envelopes.open(d, EnvelopeBlobs.KMS, newKey(), 0, -1))
                .as("a key that wraps nothing").isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    void aDisabledKey_refusesReadsAndWrappings_andReEnabledServesAgain() throws IOException {
        String a = newKey();
        byte[] content = layer(70_000);
        Digest d = Digest.sha256Of(content);
        envelopes.seal(d, EnvelopeBlobs.KMS_DSSE, a, new ByteArrayInputStream(content));
        keyService.disable(ROOT, a);
        assertThatThrownBy(() -> envelopes.open(d, EnvelopeBlobs.KMS_DSSE, a, 0, -1))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.KMS_KEY_UNUSABLE));
        String b = newKey();
        assertThatThrownBy(() -> envelopes.addWrappingForKey(d, EnvelopeBlobs.KMS_DSSE, b))
                .as("only a disabled key opens it").isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.KMS_KEY_UNUSABLE));
        assertThatThrownBy(() -> envelopes.seal(Digest.sha256Of(layer(10)), EnvelopeBlobs.KMS, a,
                new ByteArrayInputStream(layer(10)))).as("a push under a disabled key")
                .isInstanceOf(RegistryException.class);
        keyService.enable(ROOT, a);
        assertThat(read(d, EnvelopeBlobs.KMS_DSSE, a, 0, -1)).isEqualTo(content);
        assertThat(envelopes.addWrappingForKey(d, EnvelopeBlobs.KMS_DSSE, b)).isTrue();
        keyService.scheduleDeletion(ROOT, a, 7);
        assertThatThrownBy(() -> envelopes.open(d, EnvelopeBlobs.KMS_DSSE, a, 0, -1))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.KMS_KEY_UNUSABLE));
        assertThat(read(d, EnvelopeBlobs.KMS_DSSE, b, 0, -1)).as("through the other key").isEqualTo(content);
    }

    @Test
    void aKeyOfAnotherRegion_wrapsTheSameCopy_andItsDisabledStateIsItsOwn() throws IOException {
        String here = newKey();
        String eu = keys.arn(keyService.create(ROOT_EU, "eu-west-1 key", null));
        assertThat(eu).startsWith("arn:aws:kms:eu-west-1:111122223333:key/");
        byte[] content = layer(90_000);
        Digest d = Digest.sha256Of(content);
        envelopes.seal(d, EnvelopeBlobs.KMS, here, new ByteArrayInputStream(content));
        assertThat(envelopes.addWrappingForKey(d, EnvelopeBlobs.KMS, eu)).as("replication's re-wrap").isTrue();
        assertThat(read(d, EnvelopeBlobs.KMS, eu, 1000, 5000)).isEqualTo(Arrays.copyOfRange(content, 1000, 6000));
        String id = eu.substring(eu.lastIndexOf('/') + 1);
        assertThatThrownBy(() -> keyService.disable(ROOT, id)).as("not a key of us-east-1")
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.KMS_NOT_FOUND));
        keyService.disable(ROOT_EU, id);
        assertThatThrownBy(() -> envelopes.open(d, EnvelopeBlobs.KMS, eu, 0, -1))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.KMS_KEY_UNUSABLE));
        assertThat(read(d, EnvelopeBlobs.KMS, here, 0, -1)).as("us-east-1's key still opens it").isEqualTo(content);
    }

    @Test
    void rotation_stillDecryptsWhatTheOldVersionWrapped() throws IOException {
        String a = newKey();
        byte[] before = layer(5000);
        envelopes.seal(Digest.sha256Of(before), EnvelopeBlobs.KMS, a, new ByteArrayInputStream(before));
        keyService.rotateNow(ROOT, a);
        byte[] after = layer(6000);
        envelopes.seal(Digest.sha256Of(after), EnvelopeBlobs.KMS, a, new ByteArrayInputStream(after));
        assertThat(read(Digest.sha256Of(before), EnvelopeBlobs.KMS, a, 0, -1)).isEqualTo(before);
        assertThat(read(Digest.sha256Of(after), EnvelopeBlobs.KMS, a, 0, -1)).isEqualTo(after);
    }

    @Test
    void aCrashOrWrongDigestMidWrite_leavesNoReadableHalf_andNoWrapping() throws IOException {
        String a = newKey();
        byte[] content = layer(400_000);
        Digest d = Digest.sha256Of(content);
        InputStream dying = new InputStream() {
            private int served;

            @Override public int read() { throw new UnsupportedOperationException(); }

            @Override public int read(byte[] b, int off, int len) throws IOException {
                if (served > 200_000) {
                    throw new IOException("connection reset mid-upload");
                }
                int n = Math.min(len, 10_000);
                System.arraycopy(content, served, b, off, n);
                served += n;
                return n;
            }
        };
        assertThatThrownBy(() -> envelopes.seal(d, EnvelopeBlobs.KMS, a, dying)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> envelopes.seal(d, EnvelopeBlobs.KMS, a,
                new ByteArrayInputStream(layer(1000)))).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_INVALID));
        assertThat(countBlobs()).as("nothing committed").isZero();
        assertThat(r((MetadataStore.Tx tx) -> tx.envelopes().sealed(d, EnvelopeBlobs.KMS))).isEmpty();
        assertThat(r((MetadataStore.Tx tx) -> tx.envelopes().wrappings(d, EnvelopeBlobs.KMS))).isEmpty();
        assertThatThrownBy(() -> envelopes.open(d, EnvelopeBlobs.KMS, a, 0, -1))
                .isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    void release_dropsAWrapping_andTheCopyWithTheLast() throws IOException {
        String a = newKey();
        String b = newKey();
        byte[] content = layer(90_000);
        Digest d = Digest.sha256Of(content);
        envelopes.seal(d, EnvelopeBlobs.KMS, a, new ByteArrayInputStream(content));
        envelopes.addWrappingForKey(d, EnvelopeBlobs.KMS, b);
        assertThat(envelopes.release(d, EnvelopeBlobs.KMS, a)).as("b still holds it").isFalse();
        assertThat(read(d, EnvelopeBlobs.KMS, b, 0, -1)).isEqualTo(content);
        assertThatThrownBy(() -> envelopes.open(d, EnvelopeBlobs.KMS, a, 0, -1))
                .isInstanceOf(BlobNotFoundException.class);
        assertThat(envelopes.release(d, EnvelopeBlobs.KMS, b)).isTrue();
        assertThat(countBlobs()).isZero();
        assertThat(r((MetadataStore.Tx tx) -> tx.envelopes().sealed(d, EnvelopeBlobs.KMS))).isEmpty();
    }

    @Test
    void heldPlainly_onlyWhenARepositoryWithoutKmsLinksTheBlob() {
        Digest d = Digest.sha256Of(layer(100));
        long kmsRepo = repository("held/kms", "KMS");
        long dsseRepo = repository("held/dsse", "KMS_DSSE");
        long plainRepo = repository("held/plain", "AES256");
        w((MetadataStore.Tx tx) -> {
            tx.blobs().touch(d, 100, T0);
            tx.blobs().link(kmsRepo, d, T0);
            tx.blobs().link(dsseRepo, d, T0);
            return null;
        });
        assertThat(r((MetadataStore.Tx tx) -> tx.envelopes().heldPlainly(d))).as("KMS repositories only").isFalse();
        w((MetadataStore.Tx tx) -> {
            tx.blobs().link(plainRepo, d, T0);
            return null;
        });
        assertThat(r((MetadataStore.Tx tx) -> tx.envelopes().heldPlainly(d))).isTrue();
    }

    private long repository(String name, String encryption) {
        RepositorySettings settings = new RepositorySettings(io.berth.core.model.TagMutability.MUTABLE,
                List.of(), false, encryption, null);
        return w((MetadataStore.Tx tx) -> tx.repositories().create(RegistryId.DEFAULT,
                io.berth.core.model.RepositoryName.of(name), settings, T0)).orElseThrow().id();
    }

    private String newKey() {
        return keys.arn(keyService.create(ROOT, "envelope test", null));
    }

    private byte[] read(Digest d, String form, String key, long offset, long length) throws IOException {
        try (BlobStore.BlobReader r = envelopes.open(d, form, key, offset, length)) {
            byte[] out = r.stream().readAllBytes();
            assertThat(out).hasSize((int) r.length());
            return out;
        }
    }

    private int countBlobs() throws IOException {
        List<BlobStore.BlobInfo> all = new ArrayList<>();
        blobs.forEach(all::add);
        return all.size();
    }

    /** Random bytes with the marker every 10,000 bytes, so it also straddles segment boundaries. */
    private static byte[] layer(int size) {
        byte[] b = new byte[size];
        new Random().nextBytes(b);
        for (int at = 0; at + MARKER.length <= size; at += 10_000) {
            System.arraycopy(MARKER, 0, b, at, MARKER.length);
        }
        return b;
    }

    static List<Path> filesContaining(Path root, byte[] needle) throws IOException {
        List<Path> hits = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                if (indexOf(Files.readAllBytes(p), needle) >= 0) {
                    hits.add(p);
                }
            }
        }
        return hits;
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
