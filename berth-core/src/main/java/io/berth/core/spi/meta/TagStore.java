package io.berth.core.spi.meta;

import io.berth.core.model.Digest;
import io.berth.core.model.Tag;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public interface TagStore {

    Optional<Digest> resolve(long repositoryId, Tag tag);

    /** {@link #resolve} for many tags in one statement (per few hundred): the ones that exist, to their targets. */
    Map<Tag, Digest> resolveAll(long repositoryId, Collection<Tag> tags);

    /** Points the tag at {@code digest} (which must be a manifest of the repository); returns the previous target. */
    Optional<Digest> put(long repositoryId, Tag tag, Digest digest, Instant now);

    /**
     * Creates the tag only if it does not exist yet; returns false if it exists (even with the same target).
     * Two transactions racing to create one tag: exactly one gets true. For immutable tags.
     */
    boolean putIfAbsent(long repositoryId, Tag tag, Digest digest, Instant now);

    boolean delete(long repositoryId, Tag tag);

    /** Tags in byte order of the name, strictly after {@code after} when given, at most {@code limit}. */
    List<Tag> list(long repositoryId, String after, int limit);

    /** Tags pointing at a manifest, in name order. */
    List<Tag> tagsOf(long repositoryId, Digest manifest);

    /**
     * The tags of every manifest whose digest lies between {@code first} and {@code last} (both included, byte order
     * of the digest text, as manifests are listed), by manifest, each list in name order; manifests without tags
     * are absent. One statement for a whole page of images.
     */
    Map<Digest, List<Tag>> tagsBetween(long repositoryId, Digest first, Digest last);

    /** {@link #tagsOf} for many manifests at once: by manifest, each list in name order; untagged ones absent. */
    Map<Digest, List<Tag>> tagsOf(long repositoryId, Collection<Digest> manifests);
}
