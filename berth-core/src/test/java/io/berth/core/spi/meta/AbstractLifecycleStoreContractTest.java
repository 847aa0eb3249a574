package io.berth.core.spi.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.Tag;
import io.berth.core.spi.meta.LifecyclePreviewRecord.Status;
import io.berth.core.spi.meta.MetadataStore.Tx;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What lifecycle evaluation needs of every backend: {@link LifecyclePreviewStore}, the image summaries it gathers
 * ({@link ManifestStore#summaries}), backdating ({@link ManifestStore#setTimes}) and the repositories with a policy.
 * Backends subclass in one line.
 */
public abstract class AbstractLifecycleStoreContractTest extends AbstractStoreContractTest {
    private static final String TEXT = "{\"rules\":[]}";

    private static LifecyclePreviewResult result(int position, Digest digest, List<String> tags) {
        return new LifecyclePreviewResult(position, digest, tags, T0, "EXPIRE", null, 1, "STANDARD");
    }

    @Test
    void preview_startCompleteResults_andASecondStartOnlyOnceFinished() {
        long app = repo("app");
        assertThat(r((Tx tx) -> tx.lifecyclePreviews().get(app))).as("no preview yet").isEmpty();
        assertThat(w((Tx tx) -> tx.lifecyclePreviews().start(app, TEXT, T0))).as("first start").isTrue();
        assertThat(w((Tx tx) -> tx.lifecyclePreviews().start(app, TEXT, T0))).as("start while in progress").isFalse();
        assertThat(r((Tx tx) -> tx.lifecyclePreviews().get(app))).as("in progress")
                .contains(new LifecyclePreviewRecord(TEXT, Status.IN_PROGRESS, T0, null, null, 0, 0));
        List<LifecyclePreviewResult> results = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            results.add(i % 3 == 0
                    ? new LifecyclePreviewResult(i, digest("d" + i), List.of(), T0.plusSeconds(i), "TRANSITION",
                    "ARCHIVE", 2, "STANDARD")
                    : result(i, digest("d" + i), List.of("t" + i, "u" + i)));
        }
        assertThat(w((Tx tx) -> tx.lifecyclePreviews().complete(app, results, T0.plusSeconds(5)))).isTrue();
        assertThat(r((Tx tx) -> tx.lifecyclePreviews().get(app))).as("complete with totals")
                .contains(new LifecyclePreviewRecord(TEXT, Status.COMPLETE, T0, T0.plusSeconds(5), null, 1666, 834));
        assertThat(r((Tx tx) -> tx.lifecyclePreviews().results(app, -1, 3))).as("first page")
                .containsExactlyElementsOf(results.subList(0, 3));
        assertThat(r((Tx tx) -> tx.lifecyclePreviews().results(app, 2497, 10))).as("last page")
                .containsExactlyElementsOf(results.subList(2498, 2500));
        assertThat(w((Tx tx) -> tx.lifecyclePreviews().complete(app, results, T0))).as("complete twice").isFalse();

        assertThat(w((Tx tx) -> tx.lifecyclePreviews().start(app, TEXT + " ", T0.plusSeconds(9))))
                .as("start after complete").isTrue();
        assertThat(r((Tx tx) -> tx.lifecyclePreviews().results(app, -1, 10))).as("old results gone").isEmpty();
        assertThat(w((Tx tx) -> tx.lifecyclePreviews().fail(app, "boom", T0.plusSeconds(10)))).isTrue();
        assertThat(r((Tx tx) -> tx.lifecyclePreviews().get(app))).as("failed").contains(new LifecyclePreviewRecord(
                TEXT + " ", Status.FAILED, T0.plusSeconds(9), T0.plusSeconds(10), "boom", 0, 0));
        assertThat(w((Tx tx) -> tx.lifecyclePreviews().fail(app, "again", T0))).as("fail when not running")
                .isFalse();
    }

    @Test
    void previews_goWithTheirRepository() {
        long app = repo("app");
        w((Tx tx) -> tx.lifecyclePreviews().start(app, TEXT, T0));
        w((Tx tx) -> tx.lifecyclePreviews().complete(app, List.of(result(0, digest("a"), List.of("x"))), T0));
        assertThat(w((Tx tx) -> tx.repositories().delete(app))).isTrue();
        long again = repo("app");
        assertThat(r((Tx tx) -> tx.lifecyclePreviews().get(again))).as("recreated repository").isEmpty();
        assertThat(r((Tx tx) -> tx.lifecyclePreviews().results(app, -1, 10))).as("results of the old one").isEmpty();
    }

    @Test
    void summaries_carryTagsTimesSubjectAndIndexListing_inDigestPages() {
        long app = repo("app");
        long other = repo("other");
        ManifestRecord child = push(app, "child");
        ManifestRecord plain = push(app, "plain");
        ManifestRecord referrer = push(app, manifest("sbom", "application/x.sbom", child.digest()));
        w((Tx tx) -> tx.manifests().putIfAbsent(app, manifest("index"), Set.of(), Set.of(child.digest())));
        ManifestRecord index = manifest("index");
        push(other, "child"); // the same digest elsewhere: neither its tags nor its listing count here
        w((Tx tx) -> {
            tx.tags().put(app, Tag.of("b"), child.digest(), T0);
            tx.tags().put(app, Tag.of("a"), child.digest(), T0);
            tx.tags().put(app, Tag.of("v1"), index.digest(), T0);
            tx.manifests().recordPull(app, plain.digest(), T0.plusSeconds(30));
            return null;
        });
        List<ImageSummary> all = r((Tx tx) -> tx.manifests().summaries(app, null, 100));
        assertThat(all).extracting(ImageSummary::digest).as("digest order")
                .containsExactlyElementsOf(List.of(child, plain, referrer, index).stream()
                        .map(ManifestRecord::digest).sorted().toList());
        assertThat(all).as("each summary").contains(
                new ImageSummary(child.digest(), List.of("a", "b"), T0, null, null, true),
                new ImageSummary(plain.digest(), List.of(), T0, T0.plusSeconds(30), null, false),
                new ImageSummary(referrer.digest(), List.of(), T0, null, child.digest(), false),
                new ImageSummary(index.digest(), List.of("v1"), T0, null, null, false));
        List<ImageSummary> paged = new ArrayList<>();
        Digest after = null;
        for (int i = 0; i < 4; i++) {
            Digest cursor = after;
            List<ImageSummary> page = r((Tx tx) -> tx.manifests().summaries(app, cursor, 1));
            assertThat(page).as("page %s", i).hasSize(1);
            paged.addAll(page);
            after = page.get(0).digest();
        }
        assertThat(paged).as("pages of one").containsExactlyElementsOf(all);
        Digest last = after;
        assertThat(r((Tx tx) -> tx.manifests().summaries(app, last, 1))).as("after the last").isEmpty();
    }

    @Test
    void setTimes_backdatesPushAndPull_leavingAnAbsentOneAsItIs() {
        long app = repo("app");
        ManifestRecord m = push(app, "m");
        assertThat(w((Tx tx) -> tx.manifests().setTimes(app, m.digest(), T0.minusSeconds(86_400), null))).isTrue();
        assertThat(r((Tx tx) -> tx.manifests().get(app, m.digest()).orElseThrow()))
                .extracting(ManifestRecord::pushedAt, ManifestRecord::lastPulledAt)
                .as("push backdated, never pulled").containsExactly(T0.minusSeconds(86_400), null);
        assertThat(w((Tx tx) -> tx.manifests().setTimes(app, m.digest(), null, T0.minusSeconds(60)))).isTrue();
        assertThat(r((Tx tx) -> tx.manifests().get(app, m.digest()).orElseThrow()))
                .extracting(ManifestRecord::pushedAt, ManifestRecord::lastPulledAt)
                .as("pull set, push kept").containsExactly(T0.minusSeconds(86_400), T0.minusSeconds(60));
        assertThat(w((Tx tx) -> tx.manifests().setTimes(app, digest("none"), T0, T0))).as("no such image").isFalse();
    }

    @Test
    void repositoriesWithPolicy_listOnlyThose_byIdPages() {
        long a = repo("aa");
        repo("bb");
        long c = repo("cc");
        w((Tx tx) -> {
            tx.lifecyclePolicies().put(a, TEXT, T0);
            tx.lifecyclePolicies().put(c, TEXT, T0);
            return null;
        });
        assertThat(r((Tx tx) -> tx.lifecyclePolicies().repositoriesWithPolicy(0, 10)))
                .extracting(rr -> rr.name().value()).as("repositories with a policy").containsExactly("aa", "cc");
        assertThat(r((Tx tx) -> tx.lifecyclePolicies().repositoriesWithPolicy(a, 10)))
                .extracting(RepositoryRecord::id).as("after a").containsExactly(c);
        assertThat(r((Tx tx) -> tx.lifecyclePolicies().repositoriesWithPolicy(0, 1))).as("limit").hasSize(1);
    }
}
