package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.model.SigningRepositoryFilter;
import software.amazon.awssdk.services.ecr.model.SigningRule;

/** The signing flow on PostgreSQL: a profile, sign on push, the signature verified, and verification on pull. */
class PostgresSigningIT {
    @RegisterExtension
    static final TestServer server = new TestServer().onPostgres();

    @Test
    void signOnPush_andVerificationOnPull_onPostgres() throws Exception {
        var ecr = server.ecr();
        var signer = new SignerCalls(server.port(), TestServer.ROOT_KEY_ID, TestServer.ROOT_SECRET);
        var put = signer.call("PUT", "/signing-profiles/pg_profile", "{\"platformId\":\"Notation-OCI-SHA384-ECDSA\"}");
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        String arn = put.body().get("arn").asText();
        ecr.putSigningConfiguration(b -> b.signingConfiguration(c -> c.rules(SigningRule.builder()
                .signingProfileArn(arn).repositoryFilters(SigningRepositoryFilter.builder().filter("pg/signed")
                        .filterType("WILDCARD_MATCH").build()).build())));
        server.admin("signing", "require", "--repository-filter", "pg/*", "--profile", arn);

        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        for (String repo : new String[] {"pg/signed", "pg/unsigned"}) {
            Digest c = server.pushBlob(repo, config);
            String manifest = Fixtures.ociManifest(c, config.length, c, config.length);
            assertThat(server.putManifest(repo, "1.0", MediaTypes.OCI_MANIFEST, manifest).statusCode())
                    .isEqualTo(201);
        }
        Digest image = Digest.sha256Of(Fixtures.ociManifest(Digest.sha256Of(config), config.length,
                Digest.sha256Of(config), config.length).getBytes(StandardCharsets.UTF_8));
        assertThat(SigningIT.awaitSigned(ecr, "pg/signed", image).signingStatuses())
                .extracting(s -> s.statusAsString()).containsExactly("COMPLETE");
        assertThat(server.get("/v2/pg/signed/manifests/1.0", "Accept", MediaTypes.OCI_MANIFEST).statusCode())
                .isEqualTo(200);
        var refused = server.get("/v2/pg/unsigned/manifests/1.0", "Accept", MediaTypes.OCI_MANIFEST);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(TestServer.text(refused)).contains("DENIED").contains("no Notary Project signature");
        assertThat(signer.call("GET", "/signing-jobs", null).body().get("jobs").get(0).get("status").asText())
                .isEqualTo("Succeeded");
    }
}
