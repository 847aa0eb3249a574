package io.berth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encryption at rest's cost (issue 11 §3: encrypted upload and download at ≥ 0.7× the unencrypted figures in the
 * same run): a KMS repository (envelope encryption under the account's {@code alias/aws/ecr} key) against an AES256
 * one, both created with the ECR API's CreateRepository on the same server, the same blob uploaded monolithically
 * into each and downloaded back, runs interleaved so drift in the machine's load hits both alike. Berth only.
 *
 * <p>This tool links no AWS SDK, so the one ECR call is signed here with SigV4 (JDK HMAC) as the root key.
 */
final class EncryptedBench {
    private static final String TARGET = "AmazonEC2ContainerRegistry_V20150921.CreateRepository";
    private static final String REGION = "us-east-1";

    /** Median MiB/s of each: KMS and AES256 uploads, KMS and AES256 downloads. */
    record Result(Measurement kmsUp, Measurement aesUp, Measurement kmsDown, Measurement aesDown) {
        double upRatio() { return kmsUp.value() / aesUp.value(); }

        double downRatio() { return kmsDown.value() / aesDown.value(); }

        String line() {
            return String.format(Locale.ROOT, "upload %s KMS vs %s AES256 = %.2f×; download %s KMS vs %s AES256 "
                    + "= %.2f× (target ≥ 0.7×)", kmsUp.display(), aesUp.display(), upRatio(), kmsDown.display(),
                    aesDown.display(), downRatio());
        }
    }

    private final RegistryServer server;
    private final Options opt;
    private final byte[] blob;
    private int counter;

    EncryptedBench(RegistryServer server, Options opt, byte[] blob) {
        this.server = server;
        this.opt = opt;
        this.blob = blob;
    }

    Result run() throws IOException {
        double[] kmsUp = new double[opt.runs];
        double[] aesUp = new double[opt.runs];
        double[] kmsDown = new double[opt.runs];
        double[] aesDown = new double[opt.runs];
        for (int i = -1; i < opt.runs; i++) { // run -1 is an untimed warm-up of both kinds
            String kms = repository("KMS");
            String aes = repository("AES256");
            double[] k = uploadAndDownload(kms);
            double[] a = uploadAndDownload(aes);
            if (i >= 0) {
                kmsUp[i] = k[0];
                kmsDown[i] = k[1];
                aesUp[i] = a[0];
                aesDown[i] = a[1];
            }
        }
        return new Result(Measurement.median(kmsUp, "MiB/s"), Measurement.median(aesUp, "MiB/s"),
                Measurement.median(kmsDown, "MiB/s"), Measurement.median(aesDown, "MiB/s"));
    }

    /** One monolithic upload of a fresh blob, then one download of it (checked): MiB/s of each. */
    private double[] uploadAndDownload(String repo) throws IOException {
        byte[] head = new byte[64];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(head);
        System.arraycopy(head, 0, blob, 0, head.length);
        String digest = BlobBench.digest(blob, 0, blob.length);
        try (HttpConn c = server.connect()) {
            long t0 = System.nanoTime();
            String loc = BlobBench.startUpload(c, repo);
            BlobBench.expect(c.send("PUT", HttpConn.withParam(loc, "digest", BlobBench.digestParam(digest)),
                    BlobBench.OCTETS, blob, 0, blob.length, 4096), 201, "PUT blob upload into " + repo);
            long up = System.nanoTime() - t0;
            t0 = System.nanoTime();
            HttpConn.Response get = c.send("GET", "/v2/" + repo + "/blobs/" + digest, null, null, 0, 0,
                    Integer.MAX_VALUE - 8);
            long down = System.nanoTime() - t0;
            BlobBench.expect(get, 200, "GET blob from " + repo);
            if (!BlobBench.digest(get.body(), 0, get.body().length).equals(digest)) {
                throw new IOException("GET blob from " + repo + " returned content whose digest is not " + digest);
            }
            return new double[] {mibPerSec(up), mibPerSec(down)};
        }
    }

    private double mibPerSec(long nanos) {
        return blob.length / (1024.0 * 1024.0) / (nanos / 1e9);
    }

    /** Creates {@code bench/<type>-N} with that encryption type through the ECR API; its name. */
    private String repository(String type) throws IOException {
        String name = "bench/" + type.toLowerCase(Locale.ROOT) + "-" + (++counter);
        byte[] body = ("{\"repositoryName\":\"" + name + "\",\"encryptionConfiguration\":{\"encryptionType\":\""
                + type + "\"}}").getBytes(StandardCharsets.UTF_8);
        try (HttpConn c = new HttpConn(server.host, server.port)) {
            Map<String, String> headers = signed(c.hostHeader(), body);
            BlobBench.expect(c.send("POST", "/", headers, body), 200, "CreateRepository " + name);
        }
        return name;
    }

    /** The headers of a SigV4-signed CreateRepository (service ecr, us-east-1) as the benchmark's root key. */
    static Map<String, String> signed(String host, byte[] body) {
        return signed(host, TARGET, body);
    }

    /** As {@link #signed(String, byte[])} for the ECR action {@code target} (its full X-Amz-Target). */
    static Map<String, String> signed(String host, String target, byte[] body) {
        String amzDate = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
        String day = amzDate.substring(0, 8);
        String payload = hex(sha256(body));
        String canonical = "POST\n/\n\ncontent-type:application/x-amz-json-1.1\nhost:" + host + "\nx-amz-date:"
                + amzDate + "\nx-amz-target:" + target + "\n\ncontent-type;host;x-amz-date;x-amz-target\n" + payload;
        String scope = day + "/" + REGION + "/ecr/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        String signature = hex(hmacChain(("AWS4" + AccessBench.SECRET).getBytes(StandardCharsets.UTF_8), day, REGION,
                "ecr", "aws4_request", toSign));
        return Map.of("Content-Type", "application/x-amz-json-1.1", "X-Amz-Date", amzDate, "X-Amz-Target", target,
                "Authorization", "AWS4-HMAC-SHA256 Credential=" + AccessBench.KEY_ID + "/" + scope
                        + ", SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + signature);
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HMAC-SHA256 over each part in turn, each result keying the next: SigV4's key derivation, then signature. */
    private static byte[] hmacChain(byte[] key, String... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            byte[] k = key;
            for (String part : parts) {
                mac.init(new SecretKeySpec(k, mac.getAlgorithm()));
                k = mac.doFinal(part.getBytes(StandardCharsets.UTF_8));
            }
            return k;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
