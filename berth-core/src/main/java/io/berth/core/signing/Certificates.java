package io.berth.core.signing;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The signing PKI: a per-account root CA and, under it, one code-signing certificate per signing profile, all
 * ECDSA P-384 with {@code ecdsa-with-SHA384}. The extensions are what the Notary Project signing scheme requires of
 * a chain ({@code signing-scheme.md}): the root a critical CA basicConstraints and keyCertSign; the leaf critical
 * digitalSignature and the codeSigning extended key usage, and no CA.
 */
public final class Certificates {
    static final String ECDSA_SHA384 = "1.2.840.10045.4.3.3";
    private static final String CN = "2.5.4.3";
    private static final String O = "2.5.4.10";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String EXT_KEY_USAGE = "2.5.29.37";
    private static final String SUBJECT_KEY_ID = "2.5.29.14";
    private static final String AUTHORITY_KEY_ID = "2.5.29.35";
    private static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Certificates() {}

    public static KeyPair newP384KeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp384r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make P-384 keys", e);
        }
    }

    /** A self-signed root CA for {@code account}, valid from {@code notBefore} to {@code notAfter}. */
    public static X509Certificate root(KeyPair key, String account, Instant notBefore, Instant notAfter) {
        byte[] name = name("Berth signing root " + account, "Berth");
        byte[] extensions = Der.sequence(
                extension(BASIC_CONSTRAINTS, true, Der.sequence(Der.bool(true))),
                extension(KEY_USAGE, true, Der.namedBits(5, 6)), // keyCertSign, cRLSign
                extension(SUBJECT_KEY_ID, false, Der.octetString(keyId(key.getPublic()))));
        return sign(name, name, key.getPublic(), key.getPrivate(), notBefore, notAfter, extensions);
    }

    /** A code-signing certificate for {@code subject}'s key, issued by {@code issuer} (a root from {@link #root}). */
    public static X509Certificate leaf(PublicKey subject, String commonName, X509Certificate issuer,
                                       PrivateKey issuerKey, Instant notBefore, Instant notAfter) {
        byte[] extensions = Der.sequence(
                extension(BASIC_CONSTRAINTS, true, Der.sequence()),
                extension(KEY_USAGE, true, Der.namedBits(0)), // digitalSignature
                extension(EXT_KEY_USAGE, false, Der.sequence(Der.oid(CODE_SIGNING))),
                extension(SUBJECT_KEY_ID, false, Der.octetString(keyId(subject))),
                extension(AUTHORITY_KEY_ID, false, Der.sequence(Der.tlv(0x80, keyId(issuer.getPublicKey())))));
        return sign(issuer.getSubjectX500Principal().getEncoded(), name(commonName, "Berth"), subject, issuerKey,
                notBefore, notAfter, extensions);
    }

    public static X509Certificate parse(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an X.509 certificate: " + e.getMessage(), e);
        }
    }

    public static byte[] der(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lowercase hex SHA-256 of the DER, as the thumbprint annotation and Notation's trust store name them. */
    public static String sha256Thumbprint(X509Certificate c) {
        return HexFormat.of().formatHex(Jws.sha256(der(c)));
    }

    public static String pem(X509Certificate c) {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(der(c)) + "\n-----END CERTIFICATE-----\n";
    }

    private static X509Certificate sign(byte[] issuer, byte[] subject, PublicKey subjectKey, PrivateKey issuerKey,
                                        Instant notBefore, Instant notAfter, byte[] extensions) {
        byte[] algorithm = Der.sequence(Der.oid(ECDSA_SHA384));
        byte[] serial = new byte[16];
        RANDOM.nextBytes(serial);
        serial[0] &= 0x7F; // positive, RFC 5280 §4.1.2.2
        byte[] tbs = Der.sequence(
                Der.explicit(0, Der.integer(BigInteger.valueOf(2))), // v3
                Der.integer(new BigInteger(1, serial)),
                algorithm,
                issuer,
                Der.sequence(Der.time(notBefore), Der.time(notAfter)),
                subject,
                subjectKey.getEncoded(), // already a SubjectPublicKeyInfo
                Der.explicit(3, extensions));
        try {
            Signature s = Signature.getInstance("SHA384withECDSA");
            s.initSign(issuerKey);
            s.update(tbs);
            return parse(Der.sequence(tbs, algorithm, Der.bitString(s.sign())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a certificate", e);
        }
    }

    private static byte[] name(String commonName, String organization) {
        return Der.sequence(
                Der.set(Der.sequence(Der.oid(O), Der.utf8(organization))),
                Der.set(Der.sequence(Der.oid(CN), Der.utf8(commonName))));
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    /** RFC 5280 §4.2.1.2 method 1 in spirit: a hash of the encoded key, cut to 20 bytes. */
    private static byte[] keyId(PublicKey key) {
        byte[] h = Jws.sha256(key.getEncoded());
        byte[] id = new byte[20];
        System.arraycopy(h, 0, id, 0, 20);
        return id;
    }
}
