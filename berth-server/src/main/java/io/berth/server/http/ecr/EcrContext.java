package io.berth.server.http.ecr;

import io.berth.core.audit.PullCounts;
import io.berth.core.scanning.ImageScanning;
import io.berth.core.service.RegistryServices;
import io.berth.server.access.AccessControl;
import io.berth.server.access.Policies;
import io.berth.server.http.paging.PageCursors;
import java.time.Clock;

/**
 * The server-wide collaborators of the ECR API.
 *
 * @param tokens  issues registry passwords for GetAuthorizationToken (the identity module's TokenService)
 * @param signer  signs GetDownloadUrlForLayer URLs that {@link LayerDownloadHandler} verifies
 * @param policies stores repository and registry policies and account settings
 * @param access  decides every call before its action runs; null under {@code --insecure-no-auth}
 * @param cursors seals the nextToken positions of listings that hide rows (DescribeRepositories)
 * @param pulls   counts pulls per repository: BatchGetImage and GetDownloadUrlForLayer are pulls as /v2 GETs are
 * @param scanning vulnerability scanning (configuration, manual scans, results)
 * @param pullThrough the pull-through cache (its rules, and the decorator that fills cache repositories)
 * @param signing managed signing (the signing configuration and each image's signing status)
 * @param replication replication configurations and statuses
 */
public record EcrContext(RegistryServices services, RegistryTokenIssuer tokens, UrlSigner signer, Clock clock,
                         Policies policies, AccessControl access, PageCursors cursors, PullCounts pulls,
                         ImageScanning scanning, io.berth.core.pullthrough.PullThrough pullThrough,
                         io.berth.core.signing.ImageSigning signing,
                         io.berth.core.replication.Replication replication) {}
