package io.berth.metadata.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.blob.fs.FileSystemBlobStore;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.core.model.Reference;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.TagMutability;
import io.berth.core.service.CreateOnPush;
import io.berth.core.service.CreationTemplate;
import io.berth.core.service.RegistryService;
import io.berth.core.service.RegistryServices;
import io.berth.core.service.ServiceOptions;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.PolicyStore.PolicyKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Create-from-template and pull-time exclusions in the core services over a real database: racing pushes create
 * a templated repository once, with all of its settings; and an exclusion registered on another node is honoured
 * once this node's cached answer expires. One subclass per database.
 */
abstract class AbstractTemplatedCreationTest {
    static final RegistryId ID = RegistryId.DEFAULT;
    static final String SCANNER = "arn:aws:iam::000000000000:user/scanner";
    static final String DEV = "arn:aws:iam::000000000000:user/dev";
    static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";

    @TempDir
    Path dir;
    BlobStore blobs;
    MetadataStore metadata;
    AbstractRegistryServiceTest.MutableClock clock;

    protected abstract MetadataStore newMetadataStore(Path dir);

    @BeforeEach
    void setUp() throws IOException {
        blobs = new FileSystemBlobStore(dir.resolve("blobs"));
        metadata = newMetadataStore(dir);
        clock = new AbstractRegistryServiceTest.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @AfterEach
    void tearDown() throws IOException {
        metadata.close();
        blobs.close();
    }

    private RegistryServices node(CreateOnPush mode) {
        return new RegistryServices(blobs, metadata, clock, ServiceOptions.sharedDatabase().withCreateOnPush(mode));
    }

    private static CreationTemplate template(String prefix) {
        return new CreationTemplate(prefix, null, "AES256", null, Map.of("team", "core"), TagMutability.IMMUTABLE,
                List.of(), POLICY, null, Set.of(CreationTemplate.CREATE_ON_PUSH), null, Instant.EPOCH,
                Instant.EPOCH);
    }

    private static Digest upload(RegistryService svc, RepositoryName repo, byte[] content) {
        Digest d = Digest.sha256Of(content);
        svc.uploadMonolithic(repo, d, new ByteArrayInputStream(content), content.length);
        return d;
    }

    private static Digest pushImage(RegistryService svc, RepositoryName repo, String tag) {
        byte[] config = ("{\"tag\":\"" + tag + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] layer = ("layer " + tag).getBytes(StandardCharsets.UTF_8);
        byte[] manifest = AbstractRegistryServiceTest.imageManifest(upload(svc, repo, config), config.length,
                upload(svc, repo, layer), layer.length, null);
        svc.putManifest(repo, Reference.parse(tag), MediaTypes.OCI_MANIFEST, manifest);
        return Digest.sha256Of(manifest);
    }

    @Test
    void racingPushesToANewName_createItOnce_withEveryTemplateSetting() throws Exception {
        RegistryServices node = node(CreateOnPush.TEMPLATE);
        node.templates(ID).create(template("team"));
        RepositoryName repo = RepositoryName.of("team/app");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Digest>> pushes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                byte[] blob = ("blob " + i).getBytes(StandardCharsets.UTF_8);
                pushes.add(pool.submit(() -> {
                    start.await();
                    return upload(node.forRegistry(ID), repo, blob);
                }));
            }
            start.countDown();
            for (Future<Digest> f : pushes) {
                assertThat(f.get(30, TimeUnit.SECONDS)).as("a racing first push to team/app").isNotNull();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(node.admin(ID).require(repo).settings().tagMutability()).as("team/app mutability")
                .isEqualTo(TagMutability.IMMUTABLE);
        assertThat(node.admin(ID).resourceTags(repo)).as("team/app resource tags").isEqualTo(Map.of("team", "core"));
        Optional<String> policy = metadata.read((MetadataStore.Tx tx) ->
                tx.policies().get(PolicyKey.repository(ID, "team/app")));
        assertThat(policy).as("team/app repository policy").contains(POLICY);
    }

    @Test
    void templateMode_noMatchingTemplate_nameUnknownAndNothingCreated() {
        RegistryServices node = node(CreateOnPush.TEMPLATE);
        node.templates(ID).create(template("team"));
        RepositoryName repo = RepositoryName.of("teamx/app");
        assertThatThrownBy(() -> upload(node.forRegistry(ID), repo, new byte[] {1}))
                .as("push to teamx/app under only the template 'team'").isInstanceOf(RegistryException.class)
                .extracting(e -> ((RegistryException) e).code()).isEqualTo(ErrorCode.NAME_UNKNOWN);
        assertThat(node.admin(ID).find(repo)).isEmpty();
    }

    @Test
    void exclusionRegisteredOnAnotherNode_honouredOnceTheCachedAnswerExpires() throws Exception {
        RegistryServices a = node(CreateOnPush.ALWAYS);
        RegistryServices b = node(CreateOnPush.ALWAYS);
        RepositoryName repo = RepositoryName.of("team/pulled");
        RegistryService pusher = a.forRegistry(ID);
        Digest first = pushImage(pusher, repo, "first");
        Digest second = pushImage(pusher, repo, "second");
        Digest third = pushImage(pusher, repo, "third");
        Digest marker = pushImage(pusher, repo, "marker");

        b.forRegistry(ID).pullingAs(SCANNER).getManifest(repo, Reference.parse("first"));
        assertThat(awaitPullTime(a, repo, first)).as("first, pulled by scanner before any exclusion").isNotNull();
        a.pullExclusions().register(ID, SCANNER);
        b.forRegistry(ID).pullingAs(SCANNER).getManifest(repo, Reference.parse("second"));
        assertThat(awaitPullTime(a, repo, second))
                .as("second, pulled on node b while its answer for scanner (not excluded) is cached").isNotNull();

        clock.advance(Duration.ofSeconds(11));
        b.forRegistry(ID).pullingAs(SCANNER).getManifest(repo, Reference.parse("third"));
        b.forRegistry(ID).pullingAs(DEV).getManifest(repo, Reference.parse("marker"));
        assertThat(awaitPullTime(a, repo, marker)).as("marker, pulled by dev after scanner's pull").isNotNull();
        assertThat(pullTime(a, repo, third)).as("third, pulled by scanner once node b's cached answer expired")
                .isNull();
    }

    private static Instant pullTime(RegistryServices node, RepositoryName repo, Digest digest) {
        return node.images(ID, io.berth.core.event.EventRecorder.ADMIN).find(repo, digest).orElseThrow().manifest().lastPulledAt();
    }

    /** Pull times are written by a background thread; waits up to 5 s for one. */
    private static Instant awaitPullTime(RegistryServices node, RepositoryName repo, Digest digest)
            throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            Instant t = pullTime(node, repo, digest);
            if (t != null) {
                return t;
            }
            Thread.sleep(50);
        }
        return null;
    }
}
