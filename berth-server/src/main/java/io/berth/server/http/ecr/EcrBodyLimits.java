package io.berth.server.http.ecr;

import io.berth.server.http.aws.BodyLimit;

/**
 * Request-body limits per ECR operation, at ECR's own limits, chosen from {@code X-Amz-Target} before the body is
 * read. Each also says how much heap parsing costs on top of the body, which the request reserves.
 */
final class EcrBodyLimits {
    /** ECR's model: {@code layerPartBlob} is a blob of 0..20,971,520 bytes. */
    static final int MAX_PART_BYTES = 20 * 1024 * 1024;
    /** ECR's model: {@code imageManifest} is a string of 1..4,194,304 characters. */
    static final int MAX_MANIFEST_CHARS = 4_194_304;
    /** Room for the other members of a request (names, IDs, tags) around its one large member. */
    static final int JSON_ROOM = 64 * 1024;

    /**
     * UploadLayerPart: the largest blob as base64 ({@code ceil(20971520 / 3) * 4} = 27,962,028 bytes) plus room.
     * Heap on top of the body: Jackson decodes the base64 into 128 KiB blocks, then into one array, so up to twice
     * the decoded part (3/4 of the body) while the request runs.
     */
    static final BodyLimit UPLOAD_LAYER_PART = new BodyLimit(
            (long) Math.ceil(MAX_PART_BYTES / 3.0) * 4 + JSON_ROOM, 1.5, 2L * MAX_PART_BYTES);

    /**
     * PutImage: three bytes per byte of the largest manifest Berth stores (4 MiB of UTF-8), plus room. A valid
     * manifest is JSON; written into a JSON string, an ASCII byte grows to at most 2 ({@code \"}, {@code \\},
     * {@code \n}) and a non-ASCII byte to at most 3 (a 2-byte UTF-8 character as {@code \u00e9}, a 4-byte one as
     * a 12-byte surrogate pair), which is the most the SDKs and the CLI (json.dumps with ensure_ascii) spend.
     * Heap on top: the parser's text buffer (2 bytes per character), the String and its UTF-8 bytes.
     */
    static final BodyLimit PUT_IMAGE = new BodyLimit(3L * MAX_MANIFEST_CHARS + JSON_ROOM, 4.0, Long.MAX_VALUE);

    /**
     * Every other operation: 256 KiB, far above its largest valid request (a lifecycle policy of 30,720
     * characters, or a repository policy of 10,240, even with every character escaped as 6 bytes, is 184,320),
     * parsed into trees of a few times the body's size.
     */
    static final BodyLimit OTHER = new BodyLimit(256 * 1024, 4.0, Long.MAX_VALUE);

    private EcrBodyLimits() {}

    /** The limit for the operation {@code action} names (an unknown one gets {@link #OTHER}). */
    static BodyLimit of(String action) {
        if ("UploadLayerPart".equals(action)) {
            return UPLOAD_LAYER_PART;
        }
        return "PutImage".equals(action) ? PUT_IMAGE : OTHER;
    }

    /** The most any one ECR request reserves: what the shared budget must at least admit. */
    static long largestHeap() {
        return Math.max(UPLOAD_LAYER_PART.largestHeap(), Math.max(PUT_IMAGE.largestHeap(), OTHER.largestHeap()));
    }
}
