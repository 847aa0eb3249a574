package io.berth.server.console;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.event.EventRecorder;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.scanning.ImageScanning;
import io.berth.core.service.RegistryServices;
import io.berth.core.signing.ImageSigning;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.replication.Replication;
import io.berth.server.access.AccessControl;
import io.berth.server.access.Policies;
import io.berth.server.console.ConsoleHandler.Reply;
import java.util.Map;

/**
 * The console's page table, and the access checks every page shares: a page that shows or changes a repository
 * asks {@link AccessControl} for the same ECR action the API call would need, so the console never shows more than
 * DescribeRepositories, DescribeImages and the rest would.
 */
public final class ConsolePages {
    final RegistryServices services;
    final AccessControl access;
    final ImageScanning scanning;
    final ImageSigning signing;
    final MetadataStore metadata;
    /** The deployment's default account: its root operates the server and sees every job. */
    final RegistryId operatorAccount;
    private final RepositoryPages repositories = new RepositoryPages(this);
    private final ImagePage images = new ImagePage(this);
    private final LifecyclePage lifecycle = new LifecyclePage(this);
    private final TrailPages trails = new TrailPages(this);
    private final PolicyPages policyPages = new PolicyPages(this);
    private final SettingsPage settings = new SettingsPage(this);
    private final RegistryPages registry = new RegistryPages(this);
    final Policies policies;
    final Replication replication;

    /** @param access null when the server runs without authentication (everyone is the default root) */
    public ConsolePages(RegistryServices services, AccessControl access, ImageScanning scanning, ImageSigning signing,
                        MetadataStore metadata, RegistryId operatorAccount, Policies policies,
                        Replication replication) {
        this.policies = policies;
        this.replication = replication;
        this.services = services;
        this.access = access;
        this.scanning = scanning;
        this.signing = signing;
        this.metadata = metadata;
        this.operatorAccount = operatorAccount;
    }

    Reply handle(ConsoleView v, String method, String path, Map<String, String> params) {
        boolean post = method.equals("POST");
        return switch (path) {
            case "/console/repositories" -> post ? repositories.create(v, params) : repositories.list(v, params);
            case "/console/repository" -> repositories.show(v, repository(params, "name"), params);
            case "/console/image" -> images.show(v, repository(params, "repository"), params.get("digest"));
            case "/console/lifecycle" -> post ? lifecycle.submit(v, repository(params, "repository"), params)
                    : lifecycle.show(v, repository(params, "repository"), null);
            case "/console/settings" -> post ? settings.submit(v, repository(params, "repository"), params)
                    : settings.show(v, repository(params, "repository"), null);
            case "/console/repository-policy" -> policyPages.repository(v, repository(params, "repository"), params,
                    post);
            case "/console/registry-policy" -> policyPages.registry(v, params, post);
            case "/console/replication" -> registry.replication(v);
            case "/console/pull-through" -> registry.pullThrough(v, params);
            case "/console/signing" -> registry.signing(v);
            case "/console/webhooks" -> registry.webhooks(v, params);
            case "/console/audit" -> trails.audit(v, params);
            case "/console/jobs" -> trails.jobs(v, params);
            default -> throw new RegistryException(ErrorCode.NAME_UNKNOWN, "no such console page");
        };
    }

    /** The ECR operation a POST to {@code path} stands for, for the audit trail; null for none (sign-out). */
    static String changeOf(String path, Map<String, String> params) {
        return switch (path) {
            case "/console/repositories" -> "CreateRepository";
            case "/console/lifecycle" -> "save".equals(params.get("action")) ? "PutLifecyclePolicy"
                    : "StartLifecyclePolicyPreview";
            case "/console/settings" -> SettingsPage.actionOf(params);
            case "/console/repository-policy" -> "delete".equals(params.get("action")) ? "DeleteRepositoryPolicy"
                    : "SetRepositoryPolicy";
            case "/console/registry-policy" -> "delete".equals(params.get("action")) ? "DeleteRegistryPolicy"
                    : "PutRegistryPolicy";
            default -> null;
        };
    }

    boolean may(ConsoleView v, String action, String repository) {
        return access == null || access.allowed(v.principal(), action, v.account(), repository, v.origin());
    }

    /** Throws DENIED with the API's message unless the principal may. */
    void require(ConsoleView v, String action, String repository) {
        if (access != null) {
            access.require(v.principal(), action, v.account(), repository, v.origin());
        }
    }

    String actor(ConsoleView v) { return EventRecorder.actor(v.principal()); }

    private static RepositoryName repository(Map<String, String> params, String name) {
        String value = params.get(name);
        if (value == null || value.isEmpty()) {
            throw new RegistryException(ErrorCode.INVALID_PARAMETER, "which repository? (parameter " + name + ")");
        }
        return RepositoryName.of(value);
    }

    static String repositoryLink(String name) { return "/console/repository?name=" + Html.url(name); }
}
