package io.berth.server.arch;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameStartingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The boundaries Berth's layout implies, checked on the compiled main classes of every module (the test classpath
 * holds them all), so that a feature which crosses one fails the build instead of waiting for a reviewer. See
 * ../shared/STYLE.md §6 for where new features go.
 */
class BoundariesTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // sibling modules arrive as jars in a reactor build; their test-jars hold test code, not main code
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.berth");

    @Test
    void core_neverDependsOnTheServerOrAStorageBackend() {
        noClasses().that().resideInAPackage("io.berth.core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.berth.server..", "io.berth.metadata..")
                .because("the core is the domain and its SPIs; servers and backends plug into it, not the reverse")
                .check(MAIN);
    }

    @Test
    void theOciPlane_andTheAwsPlane_neverImportEachOther() {
        noClasses().that().resideInAPackage("io.berth.server.http.oci..")
                .should().dependOnClassesThat().resideInAnyPackage("io.berth.server.http.ecr..",
                        "io.berth.server.http.aws..")
                .because("the /v2 plane and the AWS JSON plane share the core services, not each other's code")
                .check(MAIN);
        noClasses().that().resideInAnyPackage("io.berth.server.http.ecr..", "io.berth.server.http.aws..")
                .should().dependOnClassesThat().resideInAPackage("io.berth.server.http.oci..")
                .because("the /v2 plane and the AWS JSON plane share the core services, not each other's code")
                .check(MAIN);
    }

    @Test
    void httpCode_neverDependsOnTheStorageSpis() {
        // the audit record is the exception: it is what the planes hand to the audit hook, CloudTrail-shaped, and
        // it lives beside the AuditStore that keeps it (so the audit package and the SPI form no cycle)
        noClasses().that().resideInAPackage("io.berth.server.http..")
                .should().dependOnClassesThat(resideInAPackage("io.berth.core.spi..")
                        .and(not(nameStartingWith("io.berth.core.spi.meta.AuditEvent"))))
                .because("the planes see what the services return (RepositoryView, ManifestView, BlobContent), so "
                        + "the storage rows stay free to change with their backends")
                .check(MAIN);
    }

    @Test
    void theAwsSdk_isNeverOnTheMainPath() {
        noClasses().that().resideOutsideOfPackage("io.berth.storage.s3..")
                .should().dependOnClassesThat().resideInAPackage("software.amazon..")
                .because("the AWS SDK is heavy: only the S3 blob store module uses it, so the embedded default "
                        + "(filesystem) never loads it")
                .check(MAIN);
        noClasses().that().resideInAPackage("io.berth..")
                .and().resideOutsideOfPackages("io.berth.storage.s3..", "io.berth.server.boot..")
                .should().dependOnClassesThat().resideInAPackage("io.berth.storage.s3..")
                .because("the S3 store is chosen and built in one place, boot/Stores; everything else sees a BlobStore")
                .check(MAIN);
    }

    @Test
    void theOpenTelemetrySdk_isSeenOnlyByTheTracingPackage() {
        noClasses().that().resideOutsideOfPackage("io.berth.server.tracing..")
                .should().dependOnClassesThat().resideInAPackage("io.opentelemetry..")
                .because("tracing is opt-in: with tracing.endpoint unset nothing outside server/tracing touches "
                        + "the SDK, and the store decorators see only their StoreCallObserver")
                .check(MAIN);
    }

    @Test
    void theCoresTopLevelPackages_areFreeOfCycles() {
        slices().matching("io.berth.core.(*)..").should().beFreeOfCycles()
                .because("a cycle welds packages into one: neither can be understood, tested or moved alone "
                        + "(the SPIs own the rows they store, so the audit package depends on spi.meta, not back)")
                .check(MAIN);
    }

    @Test
    void onlyBoot_choosesTheStorageBackends() {
        noClasses().that().resideInAPackage("io.berth.server..").and().resideOutsideOfPackage("io.berth.server.boot..")
                .should().dependOnClassesThat().resideInAPackage("io.berth.metadata..")
                .orShould().dependOnClassesThat().haveSimpleName("FileSystemBlobStore")
                .because("BerthApp is the one place that assembles the server; everything else sees the SPIs")
                .check(MAIN);
    }

    @Test
    void features_neverDependOnTheAssemblyOrTheCommands() {
        noClasses().that().resideInAPackage("io.berth.server..")
                .and().resideOutsideOfPackages("io.berth.server.boot..", "io.berth.server.cli..")
                .and().haveNameNotMatching("io\\.berth\\.server\\.Main(\\$.*)?")
                .should().dependOnClassesThat().resideInAnyPackage("io.berth.server.boot..", "io.berth.server.cli..")
                .because("Main runs the commands, the commands run BerthApp, BerthApp builds the features: never back")
                .check(MAIN);
        noClasses().that().resideInAPackage("io.berth.server.boot..")
                .should().dependOnClassesThat().resideInAPackage("io.berth.server.cli..")
                .because("the assembly serves every command and the tests; it knows none of them")
                .check(MAIN);
    }
}
