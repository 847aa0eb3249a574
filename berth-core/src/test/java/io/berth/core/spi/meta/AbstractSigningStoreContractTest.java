package io.berth.core.spi.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.spi.meta.SigningStore.ImageStatus;
import io.berth.core.spi.meta.SigningStore.Job;
import io.berth.core.spi.meta.SigningStore.Profile;
import io.berth.core.spi.meta.SigningStore.Requirement;
import io.berth.core.spi.meta.SigningStore.Root;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@link SigningStore} behaviour every backend must have. Backends subclass in one line. */
public abstract class AbstractSigningStoreContractTest extends AbstractStoreContractTest {
    private static final RegistryId ACCOUNT = new RegistryId("111122223333");
    private static final RegistryId OTHER = new RegistryId("444455556666");
    private static final Digest IMAGE = Digest.sha256Of("image".getBytes());

    private static Profile profile(String name) {
        return new Profile(name, "v1abcdefgh", "Notation-OCI-SHA384-ECDSA", 135, "MONTHS", "Active", null,
                new byte[] {1, 2}, new byte[] {3, 4}, null, null, null, T0, T0);
    }

    private static Job job(String id, int second) {
        return new Job(id, "prof", "v1abcdefgh", "app", IMAGE, null, "InProgress", null, "arn:aws:iam::1:root",
                T0.plusSeconds(second), null, null, null, null, null);
    }

    @Test
    void root_firstCreateWins_perRegistry() {
        assertThat(w((MetadataStore.Tx tx) -> tx.signing().createRoot(ACCOUNT, new Root(new byte[] {1},
                new byte[] {2}, T0)))).isTrue();
        assertThat(w((MetadataStore.Tx tx) -> tx.signing().createRoot(ACCOUNT, new Root(new byte[] {9},
                new byte[] {9}, T0)))).as("second").isFalse();
        Root got = r((MetadataStore.Tx tx) -> tx.signing().root(ACCOUNT)).orElseThrow();
        assertThat(got.certificate()).containsExactly(1);
        assertThat(got.keyEncrypted()).containsExactly(2);
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().root(OTHER))).isEmpty();
    }

    @Test
    void everythingIsPerRegion_theSameAccountInAnotherRegionSeesNone() {
        RegistryId west = ACCOUNT.inRegion("eu-west-1");
        w((MetadataStore.Tx tx) -> tx.signing().createRoot(west, new Root(new byte[] {5}, new byte[] {6}, T0)));
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().root(ACCOUNT))).as("the default region's").isEmpty();
        assertThat(w((MetadataStore.Tx tx) -> tx.signing().createProfile(west, profile("release")))).isTrue();
        assertThat(w((MetadataStore.Tx tx) -> tx.signing().createProfile(ACCOUNT, profile("release"))))
                .as("the same name in the default region").isTrue();
        w((MetadataStore.Tx tx) -> tx.signing().updateProfileStatus(west, "release", "Canceled", null, null, null,
                null, T0.plusSeconds(1)));
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().profile(ACCOUNT, "release")).orElseThrow().status())
                .isEqualTo("Active");
        w((MetadataStore.Tx tx) -> {
            tx.signing().putConfiguration(west, "{\"rules\":[]}", T0);
            tx.signing().insertJob(west, job("west-job", 1));
            tx.signing().putImageStatus(west, "app", IMAGE, new ImageStatus("arn:west", "COMPLETE", null, null,
                    "west-job", T0));
            tx.signing().putRequirement(west, new Requirement("app*", List.of("arn:west"), T0));
            return null;
        });
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().configuration(ACCOUNT))).isEmpty();
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().configuration(west))).isPresent();
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().job(ACCOUNT, "west-job"))).isEmpty();
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().jobsFor(west, "app", IMAGE))).hasSize(1);
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().imageStatuses(ACCOUNT, "app", IMAGE))).isEmpty();
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().requirements(ACCOUNT))).isEmpty();
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().requirements(west))).hasSize(1);
    }

    @Test
    void profileTags_putOverwriteDelete_perProfileAndRegistry() {
        w((MetadataStore.Tx tx) -> tx.signing().createProfile(ACCOUNT, profile("tagged")));
        w((MetadataStore.Tx tx) -> tx.signing().createProfile(OTHER, profile("tagged")));
        w((MetadataStore.Tx tx) -> {
            tx.signing().putProfileTags(ACCOUNT, "tagged", java.util.Map.of("team", "core", "env", "dev"));
            tx.signing().putProfileTags(OTHER, "tagged", java.util.Map.of("other", "x"));
            return null;
        });
        w((MetadataStore.Tx tx) -> {
            tx.signing().putProfileTags(ACCOUNT, "tagged", java.util.Map.of("env", "prod"));
            tx.signing().deleteProfileTags(ACCOUNT, "tagged", List.of("team", "absent"));
            return null;
        });
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().profileTags(ACCOUNT, "tagged")))
                .containsExactly(java.util.Map.entry("env", "prod"));
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().profileTags(OTHER, "tagged")))
                .containsExactly(java.util.Map.entry("other", "x"));
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().profileTags(ACCOUNT, "untagged"))).isEmpty();
    }

    @Test
    void profiles_createOnce_listInNameOrder_andChangeStatus() {
        for (String n : List.of("b_prof", "a_prof", "c_prof")) {
            assertThat(w((MetadataStore.Tx tx) -> tx.signing().createProfile(ACCOUNT, profile(n)))).isTrue();
        }
        assertThat(w((MetadataStore.Tx tx) -> tx.signing().createProfile(ACCOUNT, profile("a_prof")))).isFalse();
        w((MetadataStore.Tx tx) -> tx.signing().createProfile(OTHER, profile("z_prof")));
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().profiles(ACCOUNT, null, 2))).extracting(Profile::name)
                .containsExactly("a_prof", "b_prof");
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().profiles(ACCOUNT, "b_prof", 10)))
                .extracting(Profile::name).containsExactly("c_prof");
        assertThat(w((MetadataStore.Tx tx) -> tx.signing().updateProfileStatus(ACCOUNT, "a_prof", "Revoked",
                "compromised", T0.plusSeconds(5), "arn:x", T0.plusSeconds(1), T0.plusSeconds(5)))).isTrue();
        assertThat(w((MetadataStore.Tx tx) -> tx.signing().updateProfileStatus(ACCOUNT, "none", "Revoked", null,
                null, null, null, T0))).isFalse();
        Profile a = r((MetadataStore.Tx tx) -> tx.signing().profile(ACCOUNT, "a_prof")).orElseThrow();
        assertThat(a.status()).isEqualTo("Revoked");
        assertThat(a.revokedFrom()).isEqualTo(T0.plusSeconds(1));
        assertThat(a.revokedBy()).isEqualTo("arn:x");
        assertThat(a.certificate()).containsExactly(1, 2);
        assertThat(a.validityValue()).isEqualTo(135);
    }

    @Test
    void jobs_insertFinishRevoke_andListNewestFirst() {
        w((MetadataStore.Tx tx) -> {
            tx.signing().insertJob(ACCOUNT, job("j1", 1));
            tx.signing().insertJob(ACCOUNT, job("j2", 2));
            tx.signing().insertJob(OTHER, job("j3", 3));
            return null;
        });
        Digest sig = Digest.sha256Of("sig".getBytes());
        assertThat(w((MetadataStore.Tx tx) -> tx.signing().finishJob(ACCOUNT, "j1", "Succeeded", null, sig,
                T0.plusSeconds(9), T0.plusSeconds(99)))).isTrue();
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().jobs(ACCOUNT, 0, 10))).extracting(Job::jobId)
                .containsExactly("j2", "j1");
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().jobs(ACCOUNT, 1, 10))).extracting(Job::jobId)
                .containsExactly("j1");
        Job j1 = r((MetadataStore.Tx tx) -> tx.signing().job(ACCOUNT, "j1")).orElseThrow();
        assertThat(j1.signatureDigest()).isEqualTo(sig);
        assertThat(j1.signatureExpiresAt()).isEqualTo(T0.plusSeconds(99));
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().jobsFor(ACCOUNT, "app", IMAGE))).extracting(Job::jobId)
                .containsExactly("j1", "j2");
        assertThat(w((MetadataStore.Tx tx) -> tx.signing().revokeJob(ACCOUNT, "j1", "bad", "arn:x", T0))).isTrue();
        assertThat(w((MetadataStore.Tx tx) -> tx.signing().revokeJob(ACCOUNT, "j1", "again", "arn:x", T0)))
                .as("already revoked").isFalse();
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().job(ACCOUNT, "j1")).orElseThrow().revocationReason())
                .isEqualTo("bad");
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().job(OTHER, "j1"))).isEmpty();
    }

    @Test
    void claimJob_theSecondClaimOfAnImageAndProfileLoses_untilRevokedOrStale() {
        w((MetadataStore.Tx tx) -> tx.signing().createProfile(ACCOUNT, profile("prof")));
        java.time.Instant stale = T0.minusSeconds(600);
        assertThat(w((MetadataStore.Tx tx) -> tx.signing().claimJob(ACCOUNT, job("c1", 1), stale))).isTrue();
        assertThat(w((MetadataStore.Tx tx) -> tx.signing().claimJob(ACCOUNT, job("c2", 2), stale)))
                .as("a second claim while the first is in progress").isFalse();
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().job(ACCOUNT, "c2"))).as("the loser inserts nothing")
                .isEmpty();
        assertThat(w((MetadataStore.Tx tx) -> tx.signing().claimJob(ACCOUNT, job("c3", 3), T0.plusSeconds(1))))
                .as("the first claim presumed dead (created before staleBefore)").isTrue();
        w((MetadataStore.Tx tx) -> tx.signing().finishJob(ACCOUNT, "c3", "Succeeded", null, IMAGE, T0, T0));
        assertThat(w((MetadataStore.Tx tx) -> tx.signing().claimJob(ACCOUNT, job("c4", 4), T0.plusSeconds(60))))
                .as("a succeeded job holds the claim however old").isFalse();
        w((MetadataStore.Tx tx) -> tx.signing().revokeJob(ACCOUNT, "c3", "bad", "arn:x", T0));
        assertThat(w((MetadataStore.Tx tx) -> tx.signing().claimJob(ACCOUNT, job("c5", 5), T0.plusSeconds(60))))
                .as("a revoked signature does not").isTrue();
        assertThat(w((MetadataStore.Tx tx) -> tx.signing().claimJob(OTHER, job("c6", 6), stale)))
                .as("no profile of that name in the registry").isFalse();
    }

    @Test
    void claimJob_underConcurrentClaims_admitsExactlyOne() throws Exception {
        w((MetadataStore.Tx tx) -> tx.signing().createProfile(ACCOUNT, profile("prof")));
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        List<Boolean> won = runConcurrently(() -> w((MetadataStore.Tx tx) -> tx.signing().claimJob(ACCOUNT,
                job("race" + n.incrementAndGet(), 1), T0.minusSeconds(600))));
        assertThat(won).as("%d concurrent claims of one image and profile", THREADS).containsOnlyOnce(true);
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().jobsFor(ACCOUNT, "app", IMAGE))).hasSize(1);
    }

    @Test
    void configuration_statuses_andRequirements() {
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().configuration(ACCOUNT))).isEmpty();
        w((MetadataStore.Tx tx) -> { tx.signing().putConfiguration(ACCOUNT, "{\"rules\":[]}", T0); return null; });
        w((MetadataStore.Tx tx) -> { tx.signing().putConfiguration(ACCOUNT, "{\"rules\":[1]}", T0); return null; });
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().configuration(ACCOUNT))).contains("{\"rules\":[1]}");
        assertThat(w((MetadataStore.Tx tx) -> tx.signing().deleteConfiguration(ACCOUNT))).isTrue();
        assertThat(w((MetadataStore.Tx tx) -> tx.signing().deleteConfiguration(ACCOUNT))).isFalse();

        w((MetadataStore.Tx tx) -> {
            tx.signing().putImageStatus(ACCOUNT, "app", IMAGE, new ImageStatus("arn:b", "IN_PROGRESS", null, null,
                    "j1", T0));
            tx.signing().putImageStatus(ACCOUNT, "app", IMAGE, new ImageStatus("arn:a", "FAILED", "X", "why",
                    null, T0));
            tx.signing().putImageStatus(ACCOUNT, "app", IMAGE, new ImageStatus("arn:b", "COMPLETE", null, null,
                    "j1", T0.plusSeconds(1)));
            return null;
        });
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().imageStatuses(ACCOUNT, "app", IMAGE)))
                .extracting(ImageStatus::profileArn, ImageStatus::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("arn:a", "FAILED"),
                        org.assertj.core.groups.Tuple.tuple("arn:b", "COMPLETE"));

        w((MetadataStore.Tx tx) -> { tx.signing().putRequirement(ACCOUNT, new Requirement("prod/*",
                List.of("arn:p1", "arn:p2"), T0)); return null; });
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().requirements(ACCOUNT))).singleElement()
                .satisfies(q -> assertThat(q.profiles()).containsExactly("arn:p1", "arn:p2"));
        assertThat(w((MetadataStore.Tx tx) -> tx.signing().deleteRequirement(ACCOUNT, "prod/*"))).isTrue();
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().requirements(ACCOUNT))).isEmpty();
    }

    @Test
    void manifestsWithBlob_areTheRepositorysManifestsReferencingIt() {
        Digest layer = Digest.sha256Of("layer".getBytes());
        Digest other = Digest.sha256Of("other".getBytes());
        long app = repo("app");
        long elsewhere = repo("elsewhere");
        ManifestRecord a = push(app, manifest("{\"a\":1}"), layer);
        ManifestRecord b = push(app, manifest("{\"b\":1}"), layer, other);
        push(app, manifest("{\"c\":1}"), other);
        push(elsewhere, manifest("{\"d\":1}"), layer);
        List<Digest> expected = new java.util.ArrayList<>(List.of(a.digest(), b.digest()));
        expected.sort(null);
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().manifestsWithBlob(RegistryId.DEFAULT, "app", layer, 10)))
                .containsExactlyElementsOf(expected);
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().manifestsWithBlob(RegistryId.DEFAULT, "app", layer, 1)))
                .hasSize(1);
        assertThat(r((MetadataStore.Tx tx) -> tx.signing().manifestsWithBlob(ACCOUNT, "app", layer, 10))).isEmpty();
    }
}
