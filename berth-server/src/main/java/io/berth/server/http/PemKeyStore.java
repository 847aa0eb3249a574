package io.berth.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads a PEM certificate chain and private key into an in-memory PKCS#12 KeyStore, so operators can use the files
 * certbot or openssl produce without keytool. Keys: PKCS#8 ({@code BEGIN PRIVATE KEY}, RSA or EC), PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}) and SEC1 ({@code BEGIN EC PRIVATE KEY}); the last two are rewrapped as PKCS#8.
 * Encrypted keys are refused with a hint.
 */
public final class PemKeyStore {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final byte[] RSA_ALG_ID = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02,
        0x01};

    private PemKeyStore() {}

    /** A KeyStore with one entry, alias {@code berth}, protected by {@code password}. */
    public static KeyStore load(Path certFile, Path keyFile, char[] password) throws IOException,
            GeneralSecurityException {
        Collection<? extends Certificate> chain;
        try (InputStream in = Files.newInputStream(certFile)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + certFile);
        }
        PrivateKey key = readKey(Files.readString(keyFile, StandardCharsets.US_ASCII), keyFile);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("berth", key, password, chain.toArray(new Certificate[0]));
        return ks;
    }

    static PrivateKey readKey(String pem, Path file) throws GeneralSecurityException {
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(der);
                case "RSA PRIVATE KEY":
                    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                            sequence(new byte[] {0x02, 0x01, 0x00}, RSA_ALG_ID, tlv(0x04, der))));
                case "EC PRIVATE KEY":
                    byte[] curve = sec1Curve(der);
                    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                            sequence(new byte[] {0x02, 0x01, 0x00}, tlv(0x30, concat(EC_PUBLIC_KEY_OID, curve)),
                                    tlv(0x04, der))));
                case "ENCRYPTED PRIVATE KEY":
                    throw new GeneralSecurityException(file + " holds an encrypted key; decrypt it with "
                            + "'openssl pkcs8 -topk8 -nocrypt -in " + file + "'");
                default:
                    // e.g. "EC PARAMETERS" before the key block: skip
            }
        }
        throw new GeneralSecurityException("no PEM private key (BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY) in "
                + file);
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String alg : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException("unsupported PKCS#8 key", last);
    }

    /** The curve OID TLV from a SEC1 ECPrivateKey: SEQUENCE { INTEGER 1, OCTET STRING, [0] { OID }, ... }. */
    private static byte[] sec1Curve(byte[] der) throws GeneralSecurityException {
        int[] pos = {0};
        expect(der, pos, 0x30);
        readLength(der, pos);
        for (int i = 0; i < 2; i++) { // skip version and key
            pos[0]++;
            int len = readLength(der, pos); // read first: readLength advances pos[0] itself
            pos[0] += len;
        }
        if (pos[0] >= der.length || (der[pos[0]] & 0xff) != 0xa0) {
            throw new GeneralSecurityException("EC key without curve parameters; convert it with "
                    + "'openssl pkcs8 -topk8 -nocrypt'");
        }
        pos[0]++;
        int len = readLength(der, pos);
        return Arrays.copyOfRange(der, pos[0], pos[0] + len);
    }

    private static void expect(byte[] der, int[] pos, int tag) throws GeneralSecurityException {
        if ((der[pos[0]++] & 0xff) != tag) {
            throw new GeneralSecurityException("malformed DER key");
        }
    }

    private static int readLength(byte[] der, int[] pos) {
        int b = der[pos[0]++] & 0xff;
        if (b < 0x80) {
            return b;
        }
        int len = 0;
        for (int i = 0; i < (b & 0x7f); i++) {
            len = len << 8 | der[pos[0]++] & 0xff;
        }
        return len;
    }

    private static byte[] sequence(byte[]... parts) { return tlv(0x30, concat(parts)); }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = value.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
