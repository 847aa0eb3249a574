package io.berth.core.signing;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.model.Descriptor;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Verifies a Notary Project JWS envelope against a target and a set of trusted root certificates, check by check
 * as the Notary Project's verification workflow orders them: the envelope's shape, the protected header (alg, cty,
 * signing scheme, crit), the certificate chain to a trusted root at the signing time, the signature over
 * {@code protected.payload}, the target's digest, size and media type, and the expiry. Every check is reported, so
 * {@code berth admin signing verify} can print them; the first failure makes the result invalid.
 */
public final class NotaryVerifier {
    private static final Set<String> ENVELOPE_FIELDS = Set.of("payload", "protected", "header", "signature");
    private static final Set<String> KNOWN_CRITICAL = Set.of(NotarySignature.SIGNING_SCHEME,
            NotarySignature.AUTHENTIC_SIGNING_TIME, NotarySignature.EXPIRY, "io.cncf.notary.verificationPlugin",
            "io.cncf.notary.verificationPluginMinVersion");

    /** One named check and why it failed (or what it found). */
    public record Check(String name, boolean passed, String detail) {}

    /**
     * @param leaf the signing certificate, when the chain could be read (for trust by certificate thumbprint)
     */
    public record Result(List<Check> checks, X509Certificate leaf, Instant signedAt) {
        public boolean valid() {
            return !checks.isEmpty() && checks.stream().allMatch(Check::passed);
        }

        /** The first failed check's name and detail, or null when valid. */
        public String failure() {
            return checks.stream().filter(c -> !c.passed()).findFirst().map(c -> c.name() + ": " + c.detail())
                    .orElse(null);
        }
    }

    private final List<X509Certificate> trustedRoots;

    public NotaryVerifier(List<X509Certificate> trustedRoots) {
        this.trustedRoots = List.copyOf(trustedRoots);
    }

    /** @param target the artifact the signature must be for (null: skip the target check, for test envelopes) */
    public Result verify(byte[] envelopeBytes, Descriptor target, Instant now) {
        List<Check> checks = new ArrayList<>();
        Context c = new Context();
        c.now = now;
        try {
            envelope(envelopeBytes, c, checks);
            header(c, checks);
            chain(c, checks);
            signature(c, checks);
            if (target != null) {
                target(c, target, checks);
            }
            expiry(c, now, checks);
        } catch (Failed f) {
            checks.add(new Check(f.check, false, f.getMessage()));
        }
        return new Result(List.copyOf(checks), c.chain.isEmpty() ? null : c.chain.get(0), c.signedAt);
    }

    private static final class Context {
        JsonNode envelope;
        JsonNode header;
        String protectedB64;
        String payloadB64;
        List<X509Certificate> chain = new ArrayList<>();
        Instant signedAt;
        /** When the chain must be valid: the authentic signing time, or now under {@code notary.x509}. */
        Instant chainTime;
        Instant now;
        String alg;
    }

    private static final class Failed extends Exception {
        final String check;

        Failed(String check, String message) {
            super(message, null, false, false);
            this.check = check;
        }
    }

    private static void envelope(byte[] bytes, Context c, List<Check> checks) throws Failed {
        String name = "envelope";
        try {
            c.envelope = NotarySignature.JSON.readTree(bytes);
        } catch (Exception e) {
            throw new Failed(name, "not JSON");
        }
        if (c.envelope == null || !c.envelope.isObject()) {
            throw new Failed(name, "not a JSON object");
        }
        for (Iterator<String> it = c.envelope.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!ENVELOPE_FIELDS.contains(f)) {
                throw new Failed(name, "unknown top-level field " + f + " (only the flattened JWS JSON form)");
            }
        }
        for (String f : List.of("payload", "protected", "signature")) {
            if (!c.envelope.path(f).isTextual()) {
                throw new Failed(name, "missing " + f);
            }
        }
        if (!c.envelope.path("header").isObject()) {
            throw new Failed(name, "missing the unprotected header");
        }
        c.protectedB64 = c.envelope.get("protected").asText();
        c.payloadB64 = c.envelope.get("payload").asText();
        try {
            c.header = NotarySignature.JSON.readTree(Jws.fromB64url(c.protectedB64));
        } catch (Exception e) {
            throw new Failed(name, "the protected header is not base64url JSON");
        }
        if (c.header == null || !c.header.isObject()) {
            throw new Failed(name, "the protected header is not a JSON object");
        }
        checks.add(new Check(name, true, "flattened JWS JSON serialization"));
    }

    private static void header(Context c, List<Check> checks) throws Failed {
        String name = "protected header";
        JsonNode h = c.header;
        c.alg = h.path("alg").asText("");
        if (!Set.of("ES256", "ES384", "ES512", "PS256", "PS384", "PS512").contains(c.alg)) {
            throw new Failed(name, "alg " + c.alg + " is not a Notary Project algorithm");
        }
        if (!NotarySignature.PAYLOAD_CONTENT_TYPE.equals(h.path("cty").asText())) {
            throw new Failed(name, "cty is not " + NotarySignature.PAYLOAD_CONTENT_TYPE);
        }
        String scheme = h.path(NotarySignature.SIGNING_SCHEME).asText("");
        String timeField = switch (scheme) {
            case NotarySignature.SIGNING_AUTHORITY -> NotarySignature.AUTHENTIC_SIGNING_TIME;
            case "notary.x509" -> "io.cncf.notary.signingTime";
            default -> throw new Failed(name, "unknown signing scheme '" + scheme + "'");
        };
        c.signedAt = time(h, timeField, name, true);
        // notary.x509's signing time is the signer's own claim (untrusted): its chain must be valid now
        c.chainTime = scheme.equals(NotarySignature.SIGNING_AUTHORITY) ? c.signedAt : c.now;
        time(h, NotarySignature.EXPIRY, name, false);
        JsonNode crit = h.path("crit");
        if (!crit.isArray()) {
            throw new Failed(name, "crit is missing");
        }
        Set<String> critical = new HashSet<>();
        for (JsonNode n : crit) {
            if (!n.isTextual() || !KNOWN_CRITICAL.contains(n.asText()) && !h.has(n.asText())) {
                throw new Failed(name, "crit names " + n + ", which is absent or not understood");
            }
            critical.add(n.asText());
        }
        for (String required : List.of(NotarySignature.SIGNING_SCHEME, NotarySignature.AUTHENTIC_SIGNING_TIME,
                NotarySignature.EXPIRY)) {
            if (h.has(required) && !critical.contains(required)) {
                throw new Failed(name, required + " is present but not in crit");
            }
        }
        checks.add(new Check(name, true, c.alg + ", " + scheme + ", signed at " + c.signedAt));
    }

    private static Instant time(JsonNode h, String field, String check, boolean required) throws Failed {
        if (!h.has(field)) {
            if (required) {
                throw new Failed(check, field + " is missing");
            }
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(h.get(field).asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new Failed(check, field + " is not an RFC 3339 time");
        }
    }

    private void chain(Context c, List<Check> checks) throws Failed {
        String name = "certificate chain";
        JsonNode x5c = c.envelope.path("header").path("x5c");
        if (!x5c.isArray() || x5c.isEmpty()) {
            throw new Failed(name, "x5c is missing from the unprotected header");
        }
        for (JsonNode n : x5c) {
            try {
                c.chain.add(Certificates.parse(Base64.getDecoder().decode(n.asText())));
            } catch (IllegalArgumentException e) {
                throw new Failed(name, "an x5c entry is not a base64 DER certificate");
            }
        }
        X509Certificate leaf = c.chain.get(0);
        try {
            List<String> eku = leaf.getExtendedKeyUsage();
            if (eku != null && !eku.contains("1.3.6.1.5.5.7.3.3")) {
                throw new Failed(name, "the signing certificate is not for code signing");
            }
        } catch (GeneralSecurityException e) {
            throw new Failed(name, "unreadable extended key usage");
        }
        boolean[] usage = leaf.getKeyUsage();
        if (usage == null || !usage[0] || leaf.getBasicConstraints() >= 0) {
            throw new Failed(name, "the signing certificate lacks digitalSignature or is a CA");
        }
        if (trustedRoots.isEmpty()) {
            throw new Failed(name, "no trusted root");
        }
        X509Certificate last = c.chain.get(c.chain.size() - 1);
        List<X509Certificate> path = new ArrayList<>(c.chain);
        if (last.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
            if (trustedRoots.stream().noneMatch(last::equals)) {
                throw new Failed(name, "the chain ends at a root that is not trusted ("
                        + last.getSubjectX500Principal().getName() + ")");
            }
            path.remove(path.size() - 1); // the anchor is not part of a PKIX path
        }
        for (X509Certificate cert : c.chain) {
            try {
                cert.checkValidity(Date.from(c.chainTime));
            } catch (GeneralSecurityException e) {
                throw new Failed(name, "the certificate " + cert.getSubjectX500Principal().getName()
                        + " is not valid at " + c.chainTime + " (valid " + cert.getNotBefore().toInstant() + " to "
                        + cert.getNotAfter().toInstant() + ")");
            }
        }
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            trustedRoots.forEach(r -> anchors.add(new TrustAnchor(r, null)));
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(c.chainTime));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509")
                    .generateCertPath(path), params);
        } catch (GeneralSecurityException e) {
            throw new Failed(name, "does not reach a trusted root at the signing time: " + e.getMessage());
        }
        checks.add(new Check(name, true, c.chain.size() + " certificates to "
                + last.getIssuerX500Principal().getName()));
    }

    private static void signature(Context c, List<Check> checks) throws Failed {
        String name = "signature";
        PublicKey key = c.chain.get(0).getPublicKey();
        String expected = expectedAlg(key);
        if (!c.alg.equals(expected)) {
            throw new Failed(name, "alg " + c.alg + " does not match the signing key (" + expected + ")");
        }
        try {
            byte[] sig = Jws.fromB64url(c.envelope.get("signature").asText());
            String bits = c.alg.substring(2);
            Signature v;
            if (c.alg.startsWith("PS")) {
                // RSASSA-PSS with MGF1 over the same hash and a salt of the hash's length (RFC 7518 §3.5)
                v = Signature.getInstance("RSASSA-PSS");
                String hash = "SHA-" + bits;
                v.setParameter(new java.security.spec.PSSParameterSpec(hash, "MGF1",
                        new java.security.spec.MGF1ParameterSpec(hash), Integer.parseInt(bits) / 8, 1));
            } else {
                v = Signature.getInstance("SHA" + bits + "withECDSA");
                int part = switch (c.alg) {
                    case "ES256" -> 32;
                    case "ES384" -> 48;
                    default -> 66;
                };
                sig = Jws.concatToDer(sig, part);
            }
            v.initVerify(key);
            v.update((c.protectedB64 + "." + c.payloadB64).getBytes(StandardCharsets.US_ASCII));
            if (!v.verify(sig)) {
                throw new Failed(name, "does not verify with the signing certificate's key");
            }
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new Failed(name, "malformed: " + e.getMessage());
        }
        checks.add(new Check(name, true, c.alg + " over the protected header and payload"));
    }

    private static String expectedAlg(PublicKey key) throws Failed {
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return switch (bits) {
                case 256 -> "ES256";
                case 384 -> "ES384";
                case 521 -> "ES512";
                default -> throw new Failed("signature", "unsupported curve of " + bits + " bits");
            };
        }
        if (key instanceof java.security.interfaces.RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            return switch (bits) {
                case 2048 -> "PS256";
                case 3072 -> "PS384";
                case 4096 -> "PS512";
                default -> throw new Failed("signature", "unsupported RSA key of " + bits + " bits");
            };
        }
        throw new Failed("signature", "the signing key is neither ECDSA nor RSA");
    }

    private static void target(Context c, Descriptor target, List<Check> checks) throws Failed {
        String name = "target artifact";
        JsonNode t;
        try {
            t = NotarySignature.JSON.readTree(Jws.fromB64url(c.payloadB64)).path("targetArtifact");
        } catch (Exception e) {
            throw new Failed(name, "the payload is not base64url JSON");
        }
        if (!target.digest().toString().equals(t.path("digest").asText())) {
            throw new Failed(name, "signed for " + t.path("digest").asText() + ", not " + target.digest());
        }
        if (t.path("size").asLong(-1) != target.size() || !target.mediaType().equals(t.path("mediaType").asText())) {
            throw new Failed(name, "the size or media type differs from the image's");
        }
        checks.add(new Check(name, true, target.digest() + ", " + target.size() + " bytes"));
    }

    private static void expiry(Context c, Instant now, List<Check> checks) throws Failed {
        Instant expiry = time(c.header, NotarySignature.EXPIRY, "expiry", false);
        if (expiry != null && !now.isBefore(expiry)) {
            throw new Failed("expiry", "expired at " + expiry);
        }
        checks.add(new Check("expiry", true, expiry == null ? "none" : "until " + expiry));
    }
}
