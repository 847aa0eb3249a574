package io.berth.server.http.ecr;

import io.berth.core.service.RegistryServices;
import java.time.Clock;

/**
 * The server-wide collaborators of the ECR API.
 *
 * @param tokens  issues registry passwords for GetAuthorizationToken (the identity module's TokenService)
 * @param signer  signs GetDownloadUrlForLayer URLs that {@link LayerDownloadHandler} verifies
 */
public record EcrContext(RegistryServices services, RegistryTokenIssuer tokens, UrlSigner signer, Clock clock) {}
