package io.berth.server.signer;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import io.berth.core.region.Regions;
import io.berth.core.signing.SigningArns;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.SigningStore.Profile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Signer's tags of signing profiles: PutSigningProfile's {@code tags}, TagResource, UntagResource and
 * ListTagsForResource on {@code /tags/{resourceArn}}. Signer's rules: at most 200 tags, keys of 1 to 128 characters
 * of its pattern and never {@code aws:}, values up to 256; a malformed ARN or tag, or a canceled profile, is
 * BadRequestException, a profile that does not exist NotFoundException (not the ResourceNotFoundException of its
 * other operations).
 */
final class SignerTags {
    static final int MAX_TAGS = 200;
    /** Signer's key pattern exactly as its API reference writes it (so {@code +-=} is a range, digits included). */
    private static final Pattern KEY = Pattern.compile("^(?!aws:)[a-zA-Z+-=._:/]+$");

    private final MetadataStore metadata;
    private final Regions regions;

    SignerTags(MetadataStore metadata, Regions regions) {
        this.metadata = metadata;
        this.regions = regions;
    }

    /**
     * PutSigningProfile's (as ValidationException, its error for any bad input) or TagResource's (as
     * BadRequestException) {@code tags}, validated; empty when absent and not required.
     */
    static Map<String, String> parse(JsonNode tags, boolean required) {
        if (tags == null || tags.isMissingNode() || tags.isNull()) {
            if (required) {
                throw badRequest("tags is required");
            }
            return Map.of();
        }
        if (!tags.isObject() || (required && tags.isEmpty())) {
            throw badRequest("tags must be a map of 1 to " + MAX_TAGS + " keys to values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) tags::fields) {
            key(e.getKey());
            if (!e.getValue().isTextual() || e.getValue().asText().length() > 256) {
                throw badRequest("the value of tag " + e.getKey() + " must be a string of at most 256 characters");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        if (out.size() > MAX_TAGS) {
            throw badRequest("at most " + MAX_TAGS + " tags");
        }
        return out;
    }

    /** Stores a new or re-put profile's tags (the put validated them). */
    void putOnCreate(RegistryId registry, String name, Map<String, String> tags) {
        if (!tags.isEmpty()) {
            metadata.write(tx -> {
                tx.signing().putProfileTags(registry, name, tags);
                return null;
            });
        }
    }

    Map<String, String> of(RegistryId registry, String name) {
        return metadata.read(tx -> tx.signing().profileTags(registry, name));
    }

    Object tag(RegistryId registry, String arn, JsonNode body) {
        String name = taggable(registry, arn);
        Map<String, String> tags = parse(body.path("tags"), true);
        metadata.write(tx -> {
            Map<String, String> merged = new LinkedHashMap<>(tx.signing().profileTags(registry, name));
            merged.putAll(tags);
            if (merged.size() > MAX_TAGS) {
                throw badRequest("a signing profile has at most " + MAX_TAGS + " tags");
            }
            tx.signing().putProfileTags(registry, name, tags);
            return null;
        });
        return Map.of();
    }

    Object untag(RegistryId registry, String arn, List<String> keys) {
        String name = taggable(registry, arn);
        if (keys == null || keys.isEmpty() || keys.size() > MAX_TAGS) {
            throw badRequest("tagKeys must name 1 to " + MAX_TAGS + " keys");
        }
        keys.forEach(SignerTags::key);
        metadata.write(tx -> {
            tx.signing().deleteProfileTags(registry, name, keys);
            return null;
        });
        return Map.of();
    }

    Object list(RegistryId registry, String arn) {
        String name = profile(registry, arn).name();
        return Map.of("tags", of(registry, name));
    }

    /** The profile an ARN names, which must exist in the caller's account and region and not be canceled. */
    private String taggable(RegistryId registry, String arn) {
        Profile p = profile(registry, arn);
        if ("Canceled".equals(p.status())) {
            throw badRequest("The signing profile " + p.name() + " is canceled; its tags cannot change");
        }
        return p.name();
    }

    private Profile profile(RegistryId registry, String arn) {
        SigningArns.ProfileArn parsed = SigningArns.parseProfile(arn).filter(a -> a.version() == null)
                .orElseThrow(() -> badRequest("resourceArn " + arn + " is not a signing profile ARN"));
        if (!parsed.account().value().equals(registry.value())) {
            throw new RegistryException(ErrorCode.DENIED, "Cross-account access to signing resources of "
                    + parsed.account().value() + " is not allowed");
        }
        if (!parsed.region().equals(regions.nameOf(registry))) {
            throw notFound(arn);
        }
        return metadata.read(tx -> tx.signing().profile(registry, parsed.name())).orElseThrow(() -> notFound(arn));
    }

    private static void key(String key) {
        if (key == null || key.isEmpty() || key.length() > 128 || !KEY.matcher(key).matches()) {
            throw badRequest("tag key " + key + " must be 1 to 128 characters of [a-zA-Z+-=._:/] and not start "
                    + "with aws:");
        }
    }

    private static RegistryException notFound(String arn) {
        return new RegistryException(ErrorCode.SIGNER_TAG_NOT_FOUND, "The signing profile " + arn
                + " does not exist");
    }

    private static RegistryException badRequest(String message) {
        return new RegistryException(ErrorCode.SIGNER_BAD_REQUEST, message);
    }
}
