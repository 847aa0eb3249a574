package io.berth.server.http.oci;

/**
 * A {@code /v2/} path split into the resource kind, the (unvalidated) repository name and the trailing argument.
 * Names contain slashes, so the kind is decided by the LAST marker segment ({@code blobs}, {@code blobs/uploads},
 * {@code manifests}, {@code tags/list}, {@code referrers}); everything before it is the name. A repository called
 * {@code a/manifests/b} therefore still routes correctly: {@code /v2/a/manifests/b/manifests/latest}.
 * Parsing uses index arithmetic only, no regex or split, because it runs on every manifest GET.
 */
record OciPath(Kind kind, String name, String arg) {

    enum Kind {
        BASE("/v2/"),
        CATALOG("/v2/_catalog"),
        BLOB("/v2/<name>/blobs/<digest>"),
        UPLOAD_START("/v2/<name>/blobs/uploads/"),
        UPLOAD("/v2/<name>/blobs/uploads/<id>"),
        MANIFEST("/v2/<name>/manifests/<reference>"),
        TAGS("/v2/<name>/tags/list"),
        REFERRERS("/v2/<name>/referrers/<digest>"),
        UNKNOWN("");

        final String pattern;

        Kind(String pattern) { this.pattern = pattern; }
    }

    private static final OciPath BASE = new OciPath(Kind.BASE, null, null);
    private static final OciPath CATALOG = new OciPath(Kind.CATALOG, null, null);
    private static final OciPath UNKNOWN = new OciPath(Kind.UNKNOWN, null, null);

    /** @param path the raw (still percent-encoded) request path, which starts with {@code /v2} */
    static OciPath parse(String path) {
        if (path.equals("/v2") || path.equals("/v2/")) {
            return BASE;
        }
        if (!path.startsWith("/v2/")) {
            return UNKNOWN;
        }
        String p = path.substring(4);
        if (p.equals("_catalog")) {
            return CATALOG;
        }
        int s1 = p.lastIndexOf('/');
        if (s1 <= 0) {
            return UNKNOWN;
        }
        String last = p.substring(s1 + 1);
        String head = p.substring(0, s1);
        int s2 = head.lastIndexOf('/');
        if (s2 <= 0) {
            return UNKNOWN; // a marker with no name before it
        }
        String name = head.substring(0, s2);
        switch (head.substring(s2 + 1)) {
            case "manifests":
                return last.isEmpty() ? UNKNOWN : new OciPath(Kind.MANIFEST, name, last);
            case "referrers":
                return last.isEmpty() ? UNKNOWN : new OciPath(Kind.REFERRERS, name, last);
            case "tags":
                return last.equals("list") ? new OciPath(Kind.TAGS, name, null) : UNKNOWN;
            case "blobs":
                if (last.equals("uploads")) {
                    return new OciPath(Kind.UPLOAD_START, name, null); // POST without the trailing slash
                }
                return last.isEmpty() ? UNKNOWN : new OciPath(Kind.BLOB, name, last);
            case "uploads":
                if (!name.endsWith("/blobs") || name.length() <= "/blobs".length()) {
                    return UNKNOWN;
                }
                String repo = name.substring(0, name.length() - "/blobs".length());
                return last.isEmpty() ? new OciPath(Kind.UPLOAD_START, repo, null)
                        : new OciPath(Kind.UPLOAD, repo, last);
            default:
                return UNKNOWN;
        }
    }
}
