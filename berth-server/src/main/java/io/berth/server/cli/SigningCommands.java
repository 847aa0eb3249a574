package io.berth.server.cli;

import io.berth.core.model.Reference;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.region.Regions;
import io.berth.core.service.RegistryService;
import io.berth.core.signing.Certificates;
import io.berth.core.signing.NotaryVerifier;
import io.berth.core.signing.PullVerification;
import io.berth.core.signing.SigningArns;
import io.berth.core.spi.meta.SigningStore;
import io.berth.server.auth.Identities;
import io.berth.server.signer.SealedSigningKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth admin signing …}: the trust material for {@code notation verify}, an operator's verification of one
 * image with each check, and the registry's verification-on-pull requirements (a running server sees a change
 * within {@link PullVerification#REQUIREMENTS_TTL} plus its result cache's TTL).
 */
@Command(name = "signing", mixinStandardHelpOptions = true,
        description = "Signing trust, verification, and verification on pull.",
        subcommands = {SigningCommands.ExportTrust.class, SigningCommands.Verify.class, SigningCommands.Require.class,
                SigningCommands.Requirements.class, SigningCommands.Unrequire.class})
final class SigningCommands implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Each account's signing (root, profiles, requirements) is per region: {@code --region} picks the registry. */
    abstract static class SigningBase extends AdminCommand.Base {
        @Option(names = "--region", paramLabel = "REGION", description = "The registry's region (default: the "
                + "first of regions)")
        String region;

        SealedSigningKeys keys() {
            return new SealedSigningKeys(stores.masterKey(), stores.metadata(), stores.clock());
        }

        PullVerification verification() {
            return new PullVerification(stores.metadata(), stores.clock(), keys(), stores.services()::forRegistry,
                    stores.audit(), config.regions().regions());
        }

        /** The region's name, as its ARNs carry it. */
        String regionName() {
            return region == null ? config.regions().regions().defaultRegion() : region;
        }

        @Override
        final int run(Identities ids, RegistryId account, PrintStream out) {
            Regions regions = config.regions().regions();
            if (!regions.serves(regionName())) {
                return refuse("InvalidParameterException", "--region " + region + " is not served here; the "
                        + "regions are " + regions.served());
            }
            if (region != null) {
                auditParameters.put("region", region);
            }
            return runIn(regions.registry(account, regionName()), out);
        }

        /** Runs in {@code registry}: the account's registry in the chosen region. */
        abstract int runIn(RegistryId registry, PrintStream out);
    }

    @Command(name = "export-trust", mixinStandardHelpOptions = true,
            description = "Write the account's signing root certificate and a Notation trust policy.")
    static final class ExportTrust extends SigningBase {
        @Option(names = "--out", paramLabel = "DIR", description = "Directory to write into (default: .)")
        Path out = Path.of(".");

        @Override
        int runIn(RegistryId account, PrintStream print) {
            X509Certificate root = keys().root(account);
            // the default region's store keeps its name from before regions; another region's names the region
            String store = "berth-" + account.value() + (account.region() == null ? "" : "-" + account.region());
            Path pem = out.resolve(store + "-root.pem");
            Path policy = out.resolve("trustpolicy.json");
            try {
                Files.createDirectories(out);
                Files.writeString(pem, Certificates.pem(root));
                Files.writeString(policy, """
                        {
                          "version": "1.0",
                          "trustPolicies": [
                            {
                              "name": "%s",
                              "registryScopes": ["*"],
                              "signatureVerification": {"level": "strict"},
                              "trustStores": ["signingAuthority:%s"],
                              "trustedIdentities": ["*"]
                            }
                          ]
                        }
                        """.formatted(store, store));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the trust material to " + out, e);
            }
            print.println("root certificate: " + pem + " (SHA-256 " + Certificates.sha256Thumbprint(root) + ")");
            print.println("trust policy:     " + policy);
            print.println("notation cert add --type signingAuthority --store " + store + " " + pem);
            print.println("notation policy import " + policy);
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verify an image's signatures and print each check.")
    static final class Verify extends SigningBase {
        @Parameters(paramLabel = "REPO:TAG", description = "The image (REPO:TAG or REPO@DIGEST)")
        String image;

        @Option(names = "--profile", paramLabel = "ARN", description = "Trust this profile (repeatable; default: "
                + "the repository's requirements, else every profile of the account)")
        List<String> profiles;

        @Override
        int runIn(RegistryId account, PrintStream out) {
            int at = image.lastIndexOf('@');
            int colon = at >= 0 ? at : image.lastIndexOf(':');
            if (colon <= 0 || image.lastIndexOf('/') > colon) {
                return refuse("InvalidParameterException", "name the image as REPO:TAG or REPO@DIGEST");
            }
            RepositoryName repo = RepositoryName.of(image.substring(0, colon));
            RegistryService plane = stores.services().forRegistry(account);
            RegistryService.StoredManifest m = plane.getManifest(repo, Reference.parse(image.substring(colon + 1)));
            PullVerification v = verification();
            Set<String> trusted = profiles == null ? v.trustedFor(account, repo) : new LinkedHashSet<>(profiles);
            if (trusted.isEmpty()) {
                trusted = new LinkedHashSet<>();
                for (SigningStore.Profile p : stores.metadata().read(tx -> tx.signing().profiles(account, null,
                        10_000))) {
                    trusted.add(SigningArns.profile(regionName(), account, p.name()));
                }
            }
            out.println(repo.value() + "@" + m.digest() + " (" + m.mediaType() + ", " + m.content().length
                    + " bytes), trusting " + String.join(", ", trusted));
            List<PullVerification.SignatureReport> reports = v.verify(account, repo, m, trusted);
            if (reports.isEmpty()) {
                out.println("no Notary Project signature");
            }
            for (PullVerification.SignatureReport r : reports) {
                out.println("signature " + r.signature() + ": " + (r.valid() ? "VALID" : "INVALID"));
                for (NotaryVerifier.Check c : r.checks()) {
                    out.println("  [" + (c.passed() ? "ok" : "FAIL") + "] " + c.name() + ": " + c.detail());
                }
            }
            return reports.stream().anyMatch(PullVerification.SignatureReport::valid) ? 0 : 1;
        }
    }

    @Command(name = "require", mixinStandardHelpOptions = true,
            description = "Only serve images of matching repositories that carry a valid signature by a profile.")
    static final class Require extends SigningBase {
        @Option(names = "--repository-filter", paramLabel = "FILTER", required = true,
                description = "Repositories it covers ('*' matches any run of characters)")
        String filter;

        @Option(names = "--profile", paramLabel = "ARN", required = true, arity = "1..*",
                description = "Trusted signing profile ARNs (or profile version ARNs)")
        List<String> profiles;

        @Override
        String eventName() { return "PutSigningRequirement"; }

        @Override
        void describeForAudit() {
            auditParameters.put("repositoryFilter", filter);
            auditParameters.put("profiles", String.join(",", profiles));
        }

        @Override
        int runIn(RegistryId account, PrintStream out) {
            for (String p : profiles) {
                var arn = SigningArns.parseProfile(p);
                if (arn.isEmpty() || !arn.get().account().sameAccount(account)
                        || !arn.get().region().equals(regionName())) {
                    return refuse("InvalidParameterException", p + " is not a signing profile ARN of account "
                            + account + " in " + regionName());
                }
                if (stores.metadata().read(tx -> tx.signing().profile(account, arn.get().name())).isEmpty()) {
                    return refuse("InvalidParameterException", "the signing profile " + p + " does not exist");
                }
            }
            verification().require(account, filter, profiles);
            out.println("pulls of " + filter + " now need a valid signature by " + String.join(", ", profiles));
            return 0;
        }
    }

    @Command(name = "requirements", mixinStandardHelpOptions = true,
            description = "List the verification-on-pull requirements.")
    static final class Requirements extends SigningBase {
        @Override
        int runIn(RegistryId account, PrintStream out) {
            for (SigningStore.Requirement r : verification().requirements(account)) {
                out.println(r.filter() + "\t" + String.join(",", r.profiles()));
            }
            return 0;
        }
    }

    @Command(name = "unrequire", mixinStandardHelpOptions = true,
            description = "Remove the verification-on-pull requirement of a repository filter.")
    static final class Unrequire extends SigningBase {
        @Option(names = "--repository-filter", paramLabel = "FILTER", required = true)
        String filter;

        @Override
        String eventName() { return "DeleteSigningRequirement"; }

        @Override
        void describeForAudit() { auditParameters.put("repositoryFilter", filter); }

        @Override
        int runIn(RegistryId account, PrintStream out) {
            if (!verification().remove(account, filter)) {
                return refuse("InvalidParameterException", "no requirement for " + filter);
            }
            out.println("removed the requirement for " + filter);
            return 0;
        }
    }
}
