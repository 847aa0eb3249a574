package io.berth.core.spi.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@link ScanStore} behaviour every backend must have. Backends subclass in one line. */
public abstract class AbstractScanStoreContractTest extends AbstractStoreContractTest {
    private static final RegistryId ACCOUNT = new RegistryId("111122223333");

    private static ImageScanRecord complete(Digest d, java.time.Instant startedAt) {
        return new ImageScanRecord(d, "BASIC", "COMPLETE", "2 findings", startedAt, startedAt.plusSeconds(3),
                T0.minusSeconds(86_400), "{\"HIGH\":2}", "[{\"id\":\"CVE-1\"},{\"id\":\"CVE-2\"}]");
    }

    @Test
    void configuration_absentUntilPut_thenReplaced() {
        Optional<ScanStore.StoredConfiguration> none = r(tx -> tx.scans().configuration(ACCOUNT));
        assertThat(none).isEmpty();
        w(tx -> {
            tx.scans().putConfiguration(ACCOUNT, "BASIC", "[]", T0);
            return null;
        });
        w(tx -> {
            tx.scans().putConfiguration(ACCOUNT, "ENHANCED", "[{\"scanFrequency\":\"CONTINUOUS_SCAN\"}]",
                    T0.plusSeconds(1));
            return null;
        });
        ScanStore.StoredConfiguration c = r(tx -> tx.scans().configuration(ACCOUNT)).orElseThrow();
        assertThat(c.scanType()).isEqualTo("ENHANCED");
        assertThat(c.rulesJson()).isEqualTo("[{\"scanFrequency\":\"CONTINUOUS_SCAN\"}]");
        assertThat(c.updatedAt()).isEqualTo(T0.plusSeconds(1));
        Optional<ScanStore.StoredConfiguration> other = r(tx -> tx.scans().configuration(
                new RegistryId("444455556666")));
        assertThat(other).as("another registry").isEmpty();
    }

    @Test
    void scan_startFinishAndRestart_keepOnlyTheLatest() {
        long repo = repo("app");
        Digest d = push(repo, "image-a").digest();
        boolean started = w(tx -> tx.scans().start(repo, d, "BASIC", T0));
        assertThat(started).isTrue();
        ImageScanRecord running = r(tx -> tx.scans().scan(repo, d)).orElseThrow();
        assertThat(running.status()).isEqualTo("IN_PROGRESS");
        assertThat(running.completedAt()).isNull();
        assertThat(running.findings()).isNull();

        boolean finished = w(tx -> tx.scans().finish(repo, d, T0, complete(d, T0)));
        assertThat(finished).isTrue();
        ImageScanRecord done = r(tx -> tx.scans().scan(repo, d)).orElseThrow();
        assertThat(done).isEqualTo(complete(d, T0));

        boolean restarted = w(tx -> tx.scans().start(repo, d, "ENHANCED", T0.plusSeconds(100)));
        assertThat(restarted).isTrue();
        boolean staleFinish = w(tx -> tx.scans().finish(repo, d, T0, complete(d, T0)));
        assertThat(staleFinish).as("a finish of the scan started at T0 after a restart at T0+100").isFalse();
        ImageScanRecord again = r(tx -> tx.scans().scan(repo, d)).orElseThrow();
        assertThat(again.status()).isEqualTo("IN_PROGRESS");
        assertThat(again.scanType()).isEqualTo("ENHANCED");
        assertThat(again.findings()).as("earlier findings kept until the new scan finishes")
                .isEqualTo(complete(d, T0).findings());
    }

    @Test
    void start_ofAnImageNotInTheRepository_isFalse_andSummariesLeaveFindingsOut() {
        long repo = repo("app");
        Digest a = push(repo, "image-a").digest();
        Digest b = push(repo, "image-b").digest();
        boolean missing = w(tx -> tx.scans().start(repo, digest("not pushed"), "BASIC", T0));
        assertThat(missing).isFalse();
        w(tx -> tx.scans().start(repo, a, "BASIC", T0));
        w(tx -> tx.scans().finish(repo, a, T0, complete(a, T0)));
        w(tx -> tx.scans().start(repo, b, "BASIC", T0));
        Map<Digest, ImageScanRecord> s = r(tx -> tx.scans().summaries(repo, List.of(a, b, digest("never"))));
        assertThat(s).containsOnlyKeys(a, b);
        assertThat(s.get(a).status()).isEqualTo("COMPLETE");
        assertThat(s.get(a).severityCounts()).isEqualTo("{\"HIGH\":2}");
        assertThat(s.get(a).findings()).as("summaries carry no findings").isNull();
        assertThat(s.get(b).status()).isEqualTo("IN_PROGRESS");
    }

    @Test
    void scan_goesWithItsImage() {
        long repo = repo("app");
        Digest a = push(repo, "image-a").digest();
        w(tx -> tx.scans().start(repo, a, "BASIC", T0));
        w(tx -> tx.manifests().delete(repo, a));
        Optional<ImageScanRecord> gone = r(tx -> tx.scans().scan(repo, a));
        assertThat(gone).as("scan of a deleted image").isEmpty();
    }
}
