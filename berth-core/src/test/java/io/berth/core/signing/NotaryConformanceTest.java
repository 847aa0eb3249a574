package io.berth.core.signing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.model.Descriptor;
import io.berth.core.model.Digest;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Berth's verifier against the Notary Project's own published JWS envelopes (see {@code notary/README.md} for their
 * origin): each verifies with its certificate as the trusted root, and each alteration is refused.
 */
class NotaryConformanceTest {
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    private static byte[] envelope(String name) throws Exception {
        try (InputStream in = NotaryConformanceTest.class.getResourceAsStream("/notary/" + name)) {
            return in.readAllBytes();
        }
    }

    private static X509Certificate leafOf(byte[] envelope) throws Exception {
        JsonNode env = NotarySignature.JSON.readTree(envelope);
        return Certificates.parse(Base64.getDecoder().decode(env.get("header").get("x5c").get(0).asText()));
    }

    private static Descriptor targetOf(byte[] envelope) throws Exception {
        JsonNode env = NotarySignature.JSON.readTree(envelope);
        JsonNode t = NotarySignature.JSON.readTree(Jws.fromB64url(env.get("payload").asText())).get("targetArtifact");
        return new Descriptor(t.get("mediaType").asText(), Digest.parse(t.get("digest").asText()),
                t.get("size").asLong(), null, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jws_signature.sig", "withoutTimestamp.sig"})
    void publishedEnvelopes_verify(String name) throws Exception {
        byte[] env = envelope(name);
        NotaryVerifier.Result r = new NotaryVerifier(List.of(leafOf(env))).verify(env, targetOf(env), NOW);
        assertThat(r.valid()).as("%s: %s", name, r.failure()).isTrue();
        assertThat(r.checks()).extracting(NotaryVerifier.Check::name).containsExactly("envelope",
                "protected header", "certificate chain", "signature", "target artifact", "expiry");
    }

    @Test
    void publishedEnvelopes_alteredOrUntrusted_areRefused() throws Exception {
        byte[] env = envelope("jws_signature.sig");
        X509Certificate root = leafOf(env);
        NotaryVerifier verifier = new NotaryVerifier(List.of(root));
        // another target
        Descriptor other = new Descriptor(targetOf(env).mediaType(), Digest.sha256Of(new byte[] {1}), 481, null,
                null);
        assertThat(verifier.verify(env, other, NOW).failure()).startsWith("target artifact");
        // a flipped byte in the signature
        String text = new String(env, java.nio.charset.StandardCharsets.UTF_8);
        String sig = NotarySignature.JSON.readTree(env).get("signature").asText();
        String flipped = (sig.charAt(0) == 'A' ? 'B' : 'A') + sig.substring(1);
        byte[] tampered = text.replace(sig, flipped).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(verifier.verify(tampered, targetOf(env), NOW).failure()).startsWith("signature");
        // the other envelope's certificate as the only trusted root
        X509Certificate otherRoot = leafOf(envelope("withoutTimestamp.sig"));
        assertThat(new NotaryVerifier(List.of(otherRoot)).verify(env, targetOf(env), NOW).failure())
                .startsWith("certificate chain");
        // after the certificate of withoutTimestamp.sig expires (2033-05-10)
        byte[] later = envelope("withoutTimestamp.sig");
        assertThat(new NotaryVerifier(List.of(otherRoot)).verify(later, targetOf(later),
                Instant.parse("2034-01-01T00:00:00Z")).failure()).startsWith("certificate chain");
    }
}
