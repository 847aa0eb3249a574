package io.berth.core.model;

/** What follows {@code /manifests/} in a URL: a tag or a digest. */
public sealed interface Reference permits Reference.ByTag, Reference.ByDigest {

    record ByTag(Tag tag) implements Reference {
        @Override public String toString() { return tag.value(); }
    }

    record ByDigest(Digest digest) implements Reference {
        @Override public String toString() { return digest.toString(); }
    }

    static Reference parse(String value) {
        return Digest.looksLikeDigest(value) ? new ByDigest(Digest.parse(value)) : new ByTag(Tag.of(value));
    }
}
