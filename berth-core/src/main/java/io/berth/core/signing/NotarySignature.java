package io.berth.core.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.model.Descriptor;
import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Notary Project signature as AWS Signer makes them for the {@code Notation-OCI-SHA384-ECDSA} platform: a JWS
 * envelope in the flattened JSON serialization (specs/signature-envelope-jws.md) over the payload
 * {@code {"targetArtifact": <descriptor>}}, signing scheme {@code notary.x509.signingAuthority} (the authentic
 * signing time is the signing service's own clock), stored as an OCI image manifest of artifactType
 * {@code application/vnd.cncf.notary.signature} whose subject is the signed image (specs/signature-specification.md).
 * The caller pushes {@link #blobs()} and then {@link #manifest()} through the normal push path.
 */
public record NotarySignature(byte[] envelope, Digest envelopeDigest, byte[] manifest, Digest manifestDigest) {
    public static final String ARTIFACT_TYPE = "application/vnd.cncf.notary.signature";
    public static final String ENVELOPE_MEDIA_TYPE = "application/jose+json";
    public static final String PAYLOAD_CONTENT_TYPE = "application/vnd.cncf.notary.payload.v1+json";
    public static final String SIGNING_SCHEME = "io.cncf.notary.signingScheme";
    public static final String SIGNING_AUTHORITY = "notary.x509.signingAuthority";
    public static final String AUTHENTIC_SIGNING_TIME = "io.cncf.notary.authenticSigningTime";
    public static final String EXPIRY = "io.cncf.notary.expiry";
    public static final String SIGNING_AGENT = "io.cncf.notary.signingAgent";
    public static final String THUMBPRINT_ANNOTATION = "io.cncf.notary.x509chain.thumbprint#S256";
    /** The OCI empty descriptor's content, {@code {}}, pushed as the config blob. */
    public static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.UTF_8);
    public static final Digest EMPTY_CONFIG_DIGEST = Digest.sha256Of(EMPTY_CONFIG);
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Signs {@code target} with {@code key}, whose certificate is {@code chain[0]} (leaf first, root last).
     *
     * @param signedAt the authentic signing time (RFC 3339 to the second: the spec says no fractions)
     * @param expiry   the signature's expiry (the profile's validity period), or null for none
     * @param agent    the unprotected {@code io.cncf.notary.signingAgent}, or null
     */
    public static NotarySignature sign(Descriptor target, PrivateKey key, List<X509Certificate> chain,
                                       Instant signedAt, Instant expiry, String agent) {
        ObjectNode payload = JSON.createObjectNode();
        payload.set("targetArtifact", descriptor(target));
        ObjectNode header = JSON.createObjectNode();
        header.put("alg", "ES384");
        header.put("cty", PAYLOAD_CONTENT_TYPE);
        header.put(SIGNING_SCHEME, SIGNING_AUTHORITY);
        header.put(AUTHENTIC_SIGNING_TIME, signedAt.truncatedTo(ChronoUnit.SECONDS).toString());
        ArrayNode crit = header.putArray("crit").add(SIGNING_SCHEME).add(AUTHENTIC_SIGNING_TIME);
        if (expiry != null) {
            header.put(EXPIRY, expiry.truncatedTo(ChronoUnit.SECONDS).toString());
            crit.add(EXPIRY);
        }
        String protectedB64 = Jws.b64url(bytes(header));
        String payloadB64 = Jws.b64url(bytes(payload));
        byte[] signature;
        try {
            Signature s = Signature.getInstance("SHA384withECDSA");
            s.initSign(key);
            s.update((protectedB64 + "." + payloadB64).getBytes(StandardCharsets.US_ASCII));
            signature = Jws.derToConcat(s.sign(), Jws.P384_PART);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the profile's key", e);
        }
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("payload", payloadB64);
        envelope.put("protected", protectedB64);
        ObjectNode unprotected = envelope.putObject("header");
        ArrayNode x5c = unprotected.putArray("x5c");
        List<String> thumbprints = new ArrayList<>();
        for (X509Certificate c : chain) {
            x5c.add(Base64.getEncoder().encodeToString(Certificates.der(c)));
            thumbprints.add(Certificates.sha256Thumbprint(c));
        }
        if (agent != null) {
            unprotected.put(SIGNING_AGENT, agent);
        }
        envelope.put("signature", Jws.b64url(signature));
        byte[] envelopeBytes = bytes(envelope);
        Digest envelopeDigest = Digest.sha256Of(envelopeBytes);
        byte[] manifest = manifest(target, envelopeDigest, envelopeBytes.length, thumbprints);
        return new NotarySignature(envelopeBytes, envelopeDigest, manifest, Digest.sha256Of(manifest));
    }

    /** The blobs to push before the manifest: the empty config and the envelope. */
    public Map<Digest, byte[]> blobs() {
        Map<Digest, byte[]> out = new LinkedHashMap<>();
        out.put(EMPTY_CONFIG_DIGEST, EMPTY_CONFIG);
        out.put(envelopeDigest, envelope);
        return out;
    }

    private static byte[] manifest(Descriptor subject, Digest envelope, long envelopeSize, List<String> thumbprints) {
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.put("artifactType", ARTIFACT_TYPE);
        ObjectNode config = m.putObject("config");
        config.put("mediaType", MediaTypes.OCI_EMPTY);
        config.put("digest", EMPTY_CONFIG_DIGEST.toString());
        config.put("size", EMPTY_CONFIG.length);
        ObjectNode layer = m.putArray("layers").addObject();
        layer.put("mediaType", ENVELOPE_MEDIA_TYPE);
        layer.put("digest", envelope.toString());
        layer.put("size", envelopeSize);
        ObjectNode s = m.putObject("subject");
        s.put("mediaType", subject.mediaType());
        s.put("digest", subject.digest().toString());
        s.put("size", subject.size());
        ArrayNode tp = JSON.createArrayNode();
        thumbprints.forEach(tp::add);
        m.putObject("annotations").put(THUMBPRINT_ANNOTATION, tp.toString());
        return bytes(m);
    }

    static ObjectNode descriptor(Descriptor d) {
        ObjectNode n = JSON.createObjectNode();
        n.put("mediaType", d.mediaType());
        n.put("digest", d.digest().toString());
        n.put("size", d.size());
        return n;
    }

    static byte[] bytes(Object node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
