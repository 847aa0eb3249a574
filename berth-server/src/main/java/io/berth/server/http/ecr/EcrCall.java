package io.berth.server.http.ecr;

import io.berth.core.auth.Principal;
import io.berth.core.event.EventRecorder;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.scanning.ImageScanning;
import io.berth.core.service.CreationTemplates;
import io.berth.core.service.ImageCatalog;
import io.berth.core.service.LifecyclePolicies;
import io.berth.core.service.LifecyclePreviews;
import io.berth.core.service.PullExclusions;
import io.berth.core.service.RegistryService;
import io.berth.core.service.RegistryServices;
import io.berth.core.service.RepositoryAdmin;
import io.berth.server.access.AccessControl;
import io.berth.server.access.Policies;
import java.time.Clock;

/**
 * What an action may use: the authenticated principal, the registry and repository the call addresses (validated by
 * {@link EcrTarget} and already authorized by {@link EcrHandler}) and that registry's services; plus the request's
 * endpoint (for URIs and download URLs) and the signing region.
 */
final class EcrCall {
    final Principal principal;
    final RegistryId registryId;
    private final RepositoryName repository;
    final String region;
    /** {@code scheme://host[:port]} as the client addressed us. */
    final String endpoint;
    /** The registry's public host (registry.host-template), else the host of {@link #endpoint}. */
    final String publicHost;
    final EcrContext context;
    /** The client's address and transport, for policy conditions. */
    final AccessControl.Origin origin;
    private final RegistryServices services;

    /** @param target what the request addresses, validated and already authorized */
    EcrCall(Principal principal, EcrTarget target, String region, String endpoint, String publicHost,
            EcrContext context, AccessControl.Origin origin) {
        this.publicHost = publicHost;
        this.principal = principal;
        this.registryId = target.registry();
        this.repository = target.repository();
        this.origin = origin;
        this.region = region;
        this.endpoint = endpoint;
        this.context = context;
        this.services = context.services();
    }

    /**
     * The data plane of the addressed registry: the events of its writes name the caller, and its pulls are the
     * caller's (pull-time update exclusions apply).
     */
    RegistryService data() {
        RegistryService base = services.forRegistry(registryId);
        if (context.pullThrough() != null) {
            // pulls through a cache repository may fetch upstream (ecr:BatchImportUpstreamImage) and create the
            // repository (ecr:CreateRepository), as ECR requires; other writes keep their own checks
            base = context.pullThrough().decorate(registryId, base,
                    name -> require("ecr:CreateRepository", name.value()),
                    name -> require("ecr:BatchImportUpstreamImage", name.value()), EventRecorder.actor(principal));
        }
        return base.actingAs(principal).pullingAs(principal.arn());
    }

    /** The pull-through cache, or null where the node runs without one (tests over the bare API). */
    io.berth.core.pullthrough.PullThrough pullThrough() { return context.pullThrough(); }

    CreationTemplates templates() { return services.templates(registryId); }

    PullExclusions pullExclusions() { return services.pullExclusions(); }

    /** Counts one pull of {@code repository} (BatchGetImage, GetDownloadUrlForLayer), as /v2 manifest GETs count. */
    void countPull(RepositoryName repository) {
        if (context.pulls() != null) {
            context.pulls().pulled(registryId.value(), repository.value());
        }
    }

    RepositoryAdmin admin() { return services.admin(registryId, EventRecorder.actor(principal)); }

    LifecyclePolicies lifecyclePolicies() {
        return services.lifecyclePolicies(registryId, EventRecorder.actor(principal));
    }

    /** Vulnerability scanning: configuration, manual scans and results. */
    ImageScanning scanning() { return context.scanning(); }

    io.berth.core.signing.ImageSigning signing() { return context.signing(); }

    LifecyclePreviews lifecyclePreviews() { return services.lifecyclePreviews(registryId); }

    ImageCatalog images() { return services.images(registryId, EventRecorder.actor(principal)); }

    /** The archive storage class of this registry's images, on behalf of the caller. */
    io.berth.core.service.ImageArchive archive() {
        return services.archive(registryId, EventRecorder.actor(principal));
    }

    /** Policies and account settings; the events of their changes name the caller. */
    Policies policies() { return context.policies().actingAs(EventRecorder.actor(principal)); }

    Clock clock() { return context.clock(); }

    /** The repository a request on one repository ({@link EcrTarget.InRepository}, a resource ARN) addresses. */
    RepositoryName repository() {
        if (repository == null) {
            throw new IllegalStateException("the request addresses no repository");
        }
        return repository;
    }

    /** For actions that authorize per repository (DescribeRepositories): throws DENIED unless allowed. */
    void require(String action, String repository) {
        if (context.access() != null) {
            context.access().require(principal, action, registryId, repository, origin);
        }
    }

    boolean may(String action, String repository) {
        return context.access() == null
                || context.access().allowed(principal, action, registryId, repository, origin);
    }

    String repositoryArn(RepositoryName name) {
        return new RepositoryArn(registryId, name).format(region);
    }

    /** ECR's {@code <acct>.dkr.ecr.<region>.amazonaws.com/<name>}: the public host, else the one clients used. */
    String repositoryUri(RepositoryName name) {
        return publicHost + "/" + name;
    }

    /** GetAuthorizationToken's proxyEndpoint: the scheme clients used, on the public host. */
    String proxyEndpoint() {
        return endpoint.substring(0, endpoint.indexOf("://") + 3) + publicHost;
    }
}
