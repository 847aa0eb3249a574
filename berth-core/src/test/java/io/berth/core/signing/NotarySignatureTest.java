package io.berth.core.signing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.model.Descriptor;
import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Berth's signatures checked by an independent implementation: Jackson and the JDK's own crypto
 * ({@code SHA384withECDSA} after converting JWS's R||S to DER here, {@code CertPathValidator} against the root), not
 * {@link NotaryVerifier}; then the verifier's refusals of each kind of bad input.
 */
class NotarySignatureTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final KeyPair ROOT_KEY = Certificates.newP384KeyPair();
    private static final X509Certificate ROOT = Certificates.root(ROOT_KEY, "111122223333",
            NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(3650)));
    private static final KeyPair LEAF_KEY = Certificates.newP384KeyPair();
    private static final X509Certificate LEAF = Certificates.leaf(LEAF_KEY.getPublic(), "profile", ROOT,
            ROOT_KEY.getPrivate(), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(365)));
    private static final byte[] IMAGE = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
    private static final Descriptor TARGET = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256Of(IMAGE),
            IMAGE.length, null, null);

    private static NotarySignature sign(Descriptor target, Instant expiry) {
        return NotarySignature.sign(target, LEAF_KEY.getPrivate(), List.of(LEAF, ROOT), NOW, expiry, "berth/test");
    }

    @Test
    void envelope_verifiesWithPlainJdkCrypto() throws Exception {
        NotarySignature s = sign(TARGET, NOW.plus(Duration.ofDays(30)));
        JsonNode env = JSON.readTree(s.envelope());
        assertThat(env.properties()).extracting(e -> e.getKey())
                .containsExactly("payload", "protected", "header", "signature");
        Base64.Decoder url = Base64.getUrlDecoder();
        JsonNode header = JSON.readTree(url.decode(env.get("protected").asText()));
        assertThat(header.get("alg").asText()).isEqualTo("ES384");
        assertThat(header.get("cty").asText()).isEqualTo("application/vnd.cncf.notary.payload.v1+json");
        assertThat(header.get("io.cncf.notary.signingScheme").asText()).isEqualTo("notary.x509.signingAuthority");
        assertThat(header.get("io.cncf.notary.authenticSigningTime").asText()).isEqualTo("2026-12-01T12:00:00Z");
        assertThat(header.get("io.cncf.notary.expiry").asText()).isEqualTo("2026-12-31T12:00:00Z");
        assertThat(header.get("crit")).extracting(JsonNode::asText).containsExactly("io.cncf.notary.signingScheme",
                "io.cncf.notary.authenticSigningTime", "io.cncf.notary.expiry");
        JsonNode payload = JSON.readTree(url.decode(env.get("payload").asText()));
        assertThat(payload.get("targetArtifact").get("digest").asText()).isEqualTo(TARGET.digest().toString());
        assertThat(payload.get("targetArtifact").get("size").asLong()).isEqualTo(IMAGE.length);
        assertThat(env.get("header").get("io.cncf.notary.signingAgent").asText()).isEqualTo("berth/test");

        // the chain, parsed by the JDK, validated against the root alone
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> chain = new ArrayList<>();
        for (JsonNode c : env.get("header").get("x5c")) {
            chain.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(
                    Base64.getDecoder().decode(c.asText()))));
        }
        assertThat(chain).hasSize(2);
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ROOT, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(chain.subList(0, 1)), params);
        assertThat(chain.get(0).getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.3");
        assertThat(chain.get(0).getKeyUsage()[0]).isTrue();
        assertThat(ROOT.getBasicConstraints()).isGreaterThanOrEqualTo(0);

        // the signature, R||S converted to DER by this test's own code
        byte[] rs = url.decode(env.get("signature").asText());
        assertThat(rs).hasSize(96);
        Signature v = Signature.getInstance("SHA384withECDSA");
        v.initVerify(chain.get(0).getPublicKey());
        v.update((env.get("protected").asText() + "." + env.get("payload").asText())
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(v.verify(derOf(rs))).isTrue();

        // the signature manifest
        JsonNode m = JSON.readTree(s.manifest());
        assertThat(m.get("artifactType").asText()).isEqualTo("application/vnd.cncf.notary.signature");
        assertThat(m.get("config").get("mediaType").asText()).isEqualTo("application/vnd.oci.empty.v1+json");
        assertThat(m.get("layers").get(0).get("mediaType").asText()).isEqualTo("application/jose+json");
        assertThat(m.get("layers").get(0).get("digest").asText()).isEqualTo(Digest.sha256Of(s.envelope()).toString());
        assertThat(m.get("subject").get("digest").asText()).isEqualTo(TARGET.digest().toString());
        JsonNode thumbprints = JSON.readTree(m.get("annotations")
                .get("io.cncf.notary.x509chain.thumbprint#S256").asText());
        assertThat(thumbprints.get(0).asText()).isEqualTo(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(LEAF.getEncoded())));
    }

    @Test
    void verifier_acceptsBerthSignature_withEveryCheck() {
        NotaryVerifier.Result r = new NotaryVerifier(List.of(ROOT)).verify(sign(TARGET, null).envelope(), TARGET,
                NOW);
        assertThat(r.valid()).as(String.valueOf(r.failure())).isTrue();
        assertThat(r.checks()).extracting(NotaryVerifier.Check::name).containsExactly("envelope",
                "protected header", "certificate chain", "signature", "target artifact", "expiry");
    }

    @Test
    void verifier_refusesBadInput() throws Exception {
        NotaryVerifier verifier = new NotaryVerifier(List.of(ROOT));
        byte[] good = sign(TARGET, NOW.plus(Duration.ofDays(1))).envelope();
        assertThat(verifier.verify("{not json".getBytes(), TARGET, NOW).failure()).startsWith("envelope");
        // another digest
        Descriptor other = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256Of("x".getBytes()), 1, null, null);
        assertThat(verifier.verify(good, other, NOW).failure()).startsWith("target artifact");
        // expired signature
        assertThat(verifier.verify(good, TARGET, NOW.plus(Duration.ofDays(2))).failure()).startsWith("expiry");
        // a root that is not trusted
        KeyPair otherKey = Certificates.newP384KeyPair();
        X509Certificate otherRoot = Certificates.root(otherKey, "444455556666", NOW.minusSeconds(60),
                NOW.plus(Duration.ofDays(10)));
        assertThat(new NotaryVerifier(List.of(otherRoot)).verify(good, TARGET, NOW).failure())
                .startsWith("certificate chain");
        // an expired certificate at the signing time
        X509Certificate old = Certificates.leaf(LEAF_KEY.getPublic(), "old", ROOT, ROOT_KEY.getPrivate(),
                NOW.minus(Duration.ofDays(10)), NOW.minus(Duration.ofDays(5)));
        byte[] byOld = NotarySignature.sign(TARGET, LEAF_KEY.getPrivate(), List.of(old, ROOT), NOW, null, null)
                .envelope();
        assertThat(verifier.verify(byOld, TARGET, NOW).failure()).startsWith("certificate chain");
        // a tampered payload
        JsonNode env = JSON.readTree(good);
        ((com.fasterxml.jackson.databind.node.ObjectNode) env).put("payload", Jws.b64url(
                "{\"targetArtifact\":{}}".getBytes()));
        assertThat(verifier.verify(JSON.writeValueAsBytes(env), TARGET, NOW).failure()).startsWith("signature");
        // a signature made by a key the chain does not certify
        byte[] forged = NotarySignature.sign(TARGET, otherKey.getPrivate(), List.of(LEAF, ROOT), NOW, null, null)
                .envelope();
        assertThat(verifier.verify(forged, TARGET, NOW).failure()).startsWith("signature");
    }

    /** R||S (48 bytes each) as a DER SEQUENCE of two INTEGERs, written here independently of {@link Jws}. */
    private static byte[] derOf(byte[] rs) {
        byte[] r = new BigInteger(1, Arrays.copyOfRange(rs, 0, 48)).toByteArray();
        byte[] s = new BigInteger(1, Arrays.copyOfRange(rs, 48, 96)).toByteArray();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0x02);
        body.write(r.length);
        body.writeBytes(r);
        body.write(0x02);
        body.write(s.length);
        body.writeBytes(s);
        byte[] b = body.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        if (b.length >= 0x80) {
            out.write(0x81);
        }
        out.write(b.length);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
