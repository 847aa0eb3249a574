package io.berth.server.http.ecr;

import io.berth.core.auth.Principal;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.ImageCatalog;
import io.berth.core.service.RegistryService;
import io.berth.core.service.RegistryServices;
import io.berth.core.service.RepositoryAdmin;
import java.time.Clock;

/**
 * What an action may use: the authenticated principal, whose account is the registry the call operates on, and
 * that registry's services; plus the request's endpoint (for URIs and download URLs) and the signing region.
 */
final class EcrCall {
    final Principal principal;
    final RegistryId registryId;
    final String region;
    /** {@code scheme://host[:port]} as the client addressed us. */
    final String endpoint;
    final EcrContext context;
    private final RegistryServices services;

    EcrCall(Principal principal, String region, String endpoint, EcrContext context) {
        this.principal = principal;
        this.registryId = principal.account() != null ? principal.account() : RegistryId.DEFAULT;
        this.region = region;
        this.endpoint = endpoint;
        this.context = context;
        this.services = context.services();
    }

    RegistryService data() { return services.forRegistry(registryId); }

    RepositoryAdmin admin() { return services.admin(registryId); }

    ImageCatalog images() { return services.images(registryId); }

    Clock clock() { return context.clock(); }

    /**
     * Checks the optional {@code registryId} request field: it must be 12 digits and, since cross-account access
     * policies do not exist yet, the caller's own account.
     */
    void checkRegistryId(String requested) {
        if (requested == null) {
            return;
        }
        Validation.pattern("registryId", requested, "[0-9]{12}");
        if (!requested.equals(registryId.value())) {
            throw new RegistryException(ErrorCode.DENIED, "User: " + principal.arn()
                    + " is not authorized to access registry " + requested);
        }
    }

    String repositoryArn(RepositoryName name) {
        return "arn:aws:ecr:" + region + ":" + registryId + ":repository/" + name;
    }

    /** ECR's {@code <acct>.dkr.ecr.<region>.amazonaws.com/<name>}; here the host clients reached us by. */
    String repositoryUri(RepositoryName name) {
        return endpoint.replaceFirst("^https?://", "") + "/" + name;
    }
}
