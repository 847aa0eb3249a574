package io.berth.metadata.jdbc;

import io.berth.core.spi.meta.AuditStore;
import io.berth.core.spi.meta.BlobRecordStore;
import io.berth.core.spi.meta.CreationTemplateStore;
import io.berth.core.spi.meta.EventStore;
import io.berth.core.spi.meta.IdentityStore;
import io.berth.core.spi.meta.JobStore;
import io.berth.core.spi.meta.LifecyclePolicyStore;
import io.berth.core.spi.meta.LifecyclePreviewStore;
import io.berth.core.spi.meta.ManifestStore;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.PolicyStore;
import io.berth.core.spi.meta.PullExclusionStore;
import io.berth.core.spi.meta.RepositoryStore;
import io.berth.core.spi.meta.ScanStore;
import io.berth.core.spi.meta.TagStore;
import io.berth.core.spi.meta.UploadStore;

/** The stores of one transaction, all sharing its connection. */
final class JdbcTx implements MetadataStore.Tx {
    final Sql sql;
    private final JdbcRepositoryStore repositories;
    private final JdbcTagStore tags;
    private final JdbcManifestStore manifests;
    private final JdbcBlobRecordStore blobs;
    private final JdbcUploadStore uploads;
    private final JdbcIdentityStore identities;
    private final JdbcAuditStore audit;
    private final JdbcPolicyStore policies;
    private final JdbcCreationTemplateStore templates;
    private final JdbcPullExclusionStore pullExclusions;
    private final JdbcPullThroughRuleStore pullThroughRules;
    private final JdbcReplicationStore replication;
    private final JdbcImageStorageStore imageStorage;
    private final JdbcLifecyclePolicyStore lifecyclePolicies;
    private final JdbcLifecyclePreviewStore lifecyclePreviews;
    private final JdbcEventStore events;
    private final JdbcJobStore jobs;
    private final JdbcScanStore scans;
    private final JdbcSigningStore signing;
    private final JdbcSecretStore secrets;
    private final JdbcKmsStore kms;
    private final JdbcEnvelopeStore envelopes;
    private final JdbcWebhookStore webhooks;
    private final JdbcConsoleSessionStore consoleSessions;

    JdbcTx(Sql sql) {
        this.sql = sql;
        this.repositories = new JdbcRepositoryStore(sql);
        this.tags = new JdbcTagStore(sql);
        this.manifests = new JdbcManifestStore(sql);
        this.blobs = new JdbcBlobRecordStore(sql);
        this.uploads = new JdbcUploadStore(sql);
        this.identities = new JdbcIdentityStore(sql);
        this.audit = new JdbcAuditStore(sql);
        this.policies = new JdbcPolicyStore(sql);
        this.templates = new JdbcCreationTemplateStore(sql);
        this.pullExclusions = new JdbcPullExclusionStore(sql);
        this.pullThroughRules = new JdbcPullThroughRuleStore(sql);
        this.replication = new JdbcReplicationStore(sql);
        this.imageStorage = new JdbcImageStorageStore(sql);
        this.lifecyclePolicies = new JdbcLifecyclePolicyStore(sql);
        this.lifecyclePreviews = new JdbcLifecyclePreviewStore(sql);
        this.events = new JdbcEventStore(sql);
        this.jobs = new JdbcJobStore(sql);
        this.scans = new JdbcScanStore(sql);
        this.signing = new JdbcSigningStore(sql);
        this.secrets = new JdbcSecretStore(sql);
        this.kms = new JdbcKmsStore(sql);
        this.envelopes = new JdbcEnvelopeStore(sql);
        this.webhooks = new JdbcWebhookStore(sql);
        this.consoleSessions = new JdbcConsoleSessionStore(sql);
    }

    @Override public RepositoryStore repositories() { return repositories; }
    @Override public TagStore tags() { return tags; }
    @Override public ManifestStore manifests() { return manifests; }
    @Override public BlobRecordStore blobs() { return blobs; }
    @Override public UploadStore uploads() { return uploads; }
    @Override public IdentityStore identities() { return identities; }
    @Override public AuditStore audit() { return audit; }
    @Override public PolicyStore policies() { return policies; }
    @Override public CreationTemplateStore templates() { return templates; }
    @Override public PullExclusionStore pullExclusions() { return pullExclusions; }
    @Override public io.berth.core.spi.meta.PullThroughRuleStore pullThroughRules() { return pullThroughRules; }
    @Override public io.berth.core.spi.meta.ReplicationStore replication() { return replication; }
    @Override public io.berth.core.spi.meta.ImageStorageStore imageStorage() { return imageStorage; }
    @Override public LifecyclePolicyStore lifecyclePolicies() { return lifecyclePolicies; }
    @Override public LifecyclePreviewStore lifecyclePreviews() { return lifecyclePreviews; }
    @Override public EventStore events() { return events; }
    @Override public io.berth.core.spi.meta.KmsStore kms() { return kms; }
    @Override public io.berth.core.spi.meta.EnvelopeStore envelopes() { return envelopes; }
    @Override public JobStore jobs() { return jobs; }
    @Override public ScanStore scans() { return scans; }
    @Override public io.berth.core.spi.meta.SigningStore signing() { return signing; }
    @Override public io.berth.core.spi.meta.SecretStore secrets() { return secrets; }
    @Override public io.berth.core.spi.meta.WebhookStore webhooks() { return webhooks; }
    @Override public io.berth.core.spi.meta.ConsoleSessionStore consoleSessions() { return consoleSessions; }
}
