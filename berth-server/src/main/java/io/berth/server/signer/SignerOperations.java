package io.berth.server.signer;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.auth.Principal;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import io.berth.core.region.Regions;
import io.berth.core.signing.ImageSigning;
import io.berth.core.signing.SigningArns;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.SigningStore.Job;
import io.berth.core.spi.meta.SigningStore.Profile;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.util.Fields;

/**
 * Signer's operations on one registry's profiles and jobs, as the REST-JSON shapes of the Signer API reference
 * (timestamps as epoch seconds, as the protocol encodes them). Only the {@code Notation-OCI-SHA384-ECDSA} platform
 * exists; each profile owns a P-384 key and certificate from {@link SealedSigningKeys}.
 */
final class SignerOperations {
    static final String DISPLAY_NAME = "Notation for Container Registries";
    /** Signer's default (and longest) signature validity for the Notation platform: 135 months. */
    static final int DEFAULT_VALIDITY_MONTHS = 135;
    private static final String VERSION_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MetadataStore metadata;
    private final SealedSigningKeys keys;
    private final Clock clock;
    private final Regions regions;
    private final Runnable revoked;
    private final SignerTags tags;

    /** @param revoked told after every revocation (the pull verifier's cache forgets its results) */
    SignerOperations(MetadataStore metadata, SealedSigningKeys keys, Clock clock, Regions regions, Runnable revoked) {
        this.metadata = metadata;
        this.keys = keys;
        this.clock = clock;
        this.regions = regions;
        this.revoked = revoked;
        this.tags = new SignerTags(metadata, regions);
    }

    /** The profiles' tags (TagResource and the others, and the tags of Put, Get and List). */
    SignerTags tags() { return tags; }

    Object put(RegistryId registry, String name, JsonNode body) {
        profileName(name);
        String platform = text(body, "platformId", true);
        if (!ImageSigning.PLATFORM.equals(platform)) {
            throw validation("platformId " + platform + " is not supported; the one platform is "
                    + ImageSigning.PLATFORM);
        }
        if (body.has("signingMaterial")) {
            throw validation("signingMaterial is not supported by the " + ImageSigning.PLATFORM + " platform");
        }
        Map<String, String> tags;
        try {
            tags = SignerTags.parse(body.path("tags"), false);
        } catch (RegistryException e) {
            throw validation(e.getMessage());
        }
        // refused rather than accepted and dropped: a profile would not carry what the caller asked for
        for (String notKept : List.of("signingParameters", "overrides")) {
            JsonNode n = body.path(notKept);
            if (!n.isMissingNode() && !n.isNull() && !n.isEmpty()) {
                throw validation(notKept + " is not supported by Berth's signing profiles; put the profile without it");
            }
        }
        int value = DEFAULT_VALIDITY_MONTHS;
        String type = "MONTHS";
        JsonNode period = body.path("signatureValidityPeriod");
        if (!period.isMissingNode() && !period.isNull()) {
            if (!period.path("value").isInt() || !Set.of("DAYS", "MONTHS", "YEARS").contains(period.path("type")
                    .asText())) {
                throw validation("signatureValidityPeriod needs an integer value and a type of DAYS, MONTHS or YEARS");
            }
            value = period.get("value").asInt();
            type = period.get("type").asText();
            long months = type.equals("YEARS") ? value * 12L : type.equals("MONTHS") ? value : (value + 29L) / 30;
            if (value < 1 || months > DEFAULT_VALIDITY_MONTHS) {
                throw validation("signatureValidityPeriod must be at least 1 and at most 135 months");
            }
        }
        final int v = value;
        final String t = type;
        Profile existing = metadata.read(tx -> tx.signing().profile(registry, name)).orElse(null);
        if (existing == null) {
            Profile made = keys.newProfile(registry, name, newVersion(), platform, v, t);
            boolean created = metadata.write(tx -> tx.signing().createProfile(registry, made));
            existing = created ? made : metadata.read(tx -> tx.signing().profile(registry, name)).orElseThrow();
        }
        if (!"Active".equals(existing.status()) || existing.validityValue() != v || !existing.validityType().equals(t)) {
            throw new RegistryException(ErrorCode.SIGNER_CONFLICT, "A signing profile named " + name
                    + " already exists" + ("Active".equals(existing.status()) ? " with other parameters"
                    : " (" + existing.status() + "); profile names cannot be reused"));
        }
        tags().putOnCreate(registry, name, tags);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("arn", SigningArns.profile(regions.nameOf(registry), registry, name));
        out.put("profileVersion", existing.version());
        out.put("profileVersionArn", SigningArns.profileVersion(regions.nameOf(registry), registry, name,
                existing.version()));
        return out;
    }

    Object get(RegistryId registry, String name) {
        Profile p = profile(registry, name);
        Map<String, Object> out = summary(registry, p);
        out.put("statusReason", p.statusReason());
        if (p.revokedAt() != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("revocationEffectiveFrom", seconds(p.revokedFrom()));
            r.put("revokedAt", seconds(p.revokedAt()));
            r.put("revokedBy", p.revokedBy());
            out.put("revocationRecord", r);
        }
        return out;
    }

    Object list(RegistryId registry, Fields q) {
        int max = maxResults(q, 25);
        boolean includeCanceled = "true".equalsIgnoreCase(q.getValue("includeCanceled"));
        String platform = q.getValue("platformId");
        List<String> statuses = q.getValues("statuses");
        String after = q.getValue("nextToken");
        List<Map<String, Object>> profiles = new ArrayList<>();
        String last = after;
        boolean more = true;
        while (profiles.size() < max && more) {
            List<Profile> page = readProfiles(registry, last, 100);
            more = page.size() == 100;
            for (Profile p : page) {
                last = p.name();
                boolean keep = (includeCanceled || !"Canceled".equals(p.status()))
                        && (platform == null || platform.equals(p.platformId()))
                        && (statuses == null || statuses.isEmpty() || statuses.contains(p.status()));
                if (keep) {
                    profiles.add(summary(registry, p));
                    if (profiles.size() == max) {
                        more = true;
                        break;
                    }
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("profiles", profiles);
        if (profiles.size() == max && more) {
            out.put("nextToken", last);
        }
        return out;
    }

    private List<Profile> readProfiles(RegistryId registry, String after, int limit) {
        return metadata.read(tx -> tx.signing().profiles(registry, after, limit));
    }

    Object cancel(RegistryId registry, String name) {
        Profile p = profile(registry, name);
        if ("Revoked".equals(p.status())) {
            throw new RegistryException(ErrorCode.SIGNER_CONFLICT, "The signing profile " + name + " is revoked");
        }
        metadata.write(tx -> tx.signing().updateProfileStatus(registry, name, "Canceled", null, null, null, null,
                clock.instant()));
        return Map.of();
    }

    Object revokeProfile(RegistryId registry, String name, JsonNode body, Principal by) {
        Profile p = profile(registry, name);
        String version = text(body, "profileVersion", true);
        String reason = text(body, "reason", true);
        reasonLength(reason);
        JsonNode effective = body.path("effectiveTime");
        if (!effective.isNumber()) {
            throw validation("effectiveTime is required (a timestamp)");
        }
        if (!version.equals(p.version())) {
            throw new RegistryException(ErrorCode.SIGNER_RESOURCE_NOT_FOUND, "The signing profile " + name
                    + " has no version " + version);
        }
        if ("Revoked".equals(p.status())) {
            throw new RegistryException(ErrorCode.SIGNER_CONFLICT, "The signing profile " + name
                    + " is already revoked");
        }
        Instant from = Instant.ofEpochMilli(Math.round(effective.asDouble() * 1000));
        Instant now = clock.instant();
        metadata.write(tx -> tx.signing().updateProfileStatus(registry, name, "Revoked", reason, now, by.arn(), from,
                now));
        revoked.run();
        return Map.of();
    }

    Object revokeSignature(RegistryId registry, String jobId, JsonNode body, Principal by) {
        String reason = text(body, "reason", true);
        reasonLength(reason);
        job(registry, jobId);
        metadata.write(tx -> tx.signing().revokeJob(registry, jobId, reason, by.arn(), clock.instant()));
        revoked.run();
        return Map.of();
    }

    Object describeJob(RegistryId registry, String jobId) {
        Job j = job(registry, jobId);
        Map<String, Object> out = jobSummary(registry, j);
        out.put("completedAt", seconds(j.completedAt()));
        out.put("requestedBy", j.requestedBy());
        out.put("statusReason", j.statusReason());
        if (j.revokedAt() != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("reason", j.revocationReason());
            r.put("revokedAt", seconds(j.revokedAt()));
            r.put("revokedBy", j.revokedBy());
            out.put("revocationRecord", r);
        }
        return out;
    }

    Object listJobs(RegistryId registry, Fields q) {
        int max = maxResults(q, 25);
        int offset = 0;
        String token = q.getValue("nextToken");
        if (token != null) {
            try {
                offset = Integer.parseInt(token);
            } catch (NumberFormatException e) {
                throw validation("nextToken is not valid");
            }
        }
        String status = q.getValue("status");
        String revokedFilter = q.getValue("isRevoked");
        String platform = q.getValue("platformId");
        String requestedBy = q.getValue("requestedBy");
        Instant expiresBefore = epochParameter(q, "signatureExpiresBefore");
        Instant expiresAfter = epochParameter(q, "signatureExpiresAfter");
        List<Map<String, Object>> jobs = new ArrayList<>();
        boolean more = true;
        while (jobs.size() < max && more) {
            int from = offset;
            List<Job> page = metadata.read(tx -> tx.signing().jobs(registry, from, 100));
            more = page.size() == 100;
            for (Job j : page) {
                offset++;
                Instant expires = j.signatureExpiresAt();
                boolean keep = (status == null || status.equals(j.status()))
                        && (revokedFilter == null || Boolean.parseBoolean(revokedFilter) == (j.revokedAt() != null))
                        && (platform == null || platform.equals(ImageSigning.PLATFORM))
                        && (requestedBy == null || requestedBy.equals(j.requestedBy()))
                        && (expiresBefore == null || expires != null && expires.isBefore(expiresBefore))
                        && (expiresAfter == null || expires != null && expires.isAfter(expiresAfter));
                if (keep) {
                    jobs.add(jobSummary(registry, j));
                    if (jobs.size() == max) {
                        more = true;
                        break;
                    }
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jobs", jobs);
        if (jobs.size() == max && more) {
            out.put("nextToken", Integer.toString(offset));
        }
        return out;
    }

    static Object platforms() {
        return Map.of("platforms", List.of(platform()));
    }

    static Map<String, Object> platform() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("platformId", ImageSigning.PLATFORM);
        p.put("displayName", DISPLAY_NAME);
        p.put("partner", "AWSSigner");
        p.put("target", "Notation");
        p.put("signingConfiguration", Map.of(
                "encryptionAlgorithmOptions", Map.of("allowedValues", List.of("ECDSA"), "defaultValue", "ECDSA"),
                "hashAlgorithmOptions", Map.of("allowedValues", List.of("SHA384"), "defaultValue", "SHA384")));
        p.put("signingImageFormat", Map.of("supportedFormats", List.of("JSONDetached"),
                "defaultFormat", "JSONDetached"));
        p.put("maxSizeInMB", 4);
        p.put("revocationSupported", true);
        return p;
    }

    private Map<String, Object> summary(RegistryId registry, Profile p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("profileName", p.name());
        out.put("profileVersion", p.version());
        out.put("profileVersionArn", SigningArns.profileVersion(regions.nameOf(registry), registry, p.name(),
                p.version()));
        out.put("platformId", p.platformId());
        out.put("platformDisplayName", DISPLAY_NAME);
        out.put("signatureValidityPeriod", Map.of("value", p.validityValue(), "type", p.validityType()));
        out.put("status", p.status());
        out.put("arn", SigningArns.profile(regions.nameOf(registry), registry, p.name()));
        out.put("tags", tags().of(registry, p.name()));
        return out;
    }

    private Map<String, Object> jobSummary(RegistryId registry, Job j) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jobId", j.jobId());
        out.put("platformId", ImageSigning.PLATFORM);
        out.put("platformDisplayName", DISPLAY_NAME);
        out.put("profileName", j.profileName());
        out.put("profileVersion", j.profileVersion());
        out.put("createdAt", seconds(j.createdAt()));
        out.put("signatureExpiresAt", seconds(j.signatureExpiresAt()));
        out.put("status", j.status());
        out.put("isRevoked", j.revokedAt() != null);
        out.put("jobOwner", registry.value());
        out.put("jobInvoker", registry.value());
        return out;
    }

    private Profile profile(RegistryId registry, String name) {
        profileName(name);
        return metadata.read(tx -> tx.signing().profile(registry, name)).orElseThrow(() -> new RegistryException(
                ErrorCode.SIGNER_RESOURCE_NOT_FOUND, "The signing profile " + name + " does not exist"));
    }

    private Job job(RegistryId registry, String jobId) {
        return metadata.read(tx -> tx.signing().job(registry, jobId)).orElseThrow(() -> new RegistryException(
                ErrorCode.SIGNER_RESOURCE_NOT_FOUND, "The signing job " + jobId + " does not exist"));
    }

    private static void profileName(String name) {
        if (name == null || !SigningArns.PROFILE_NAME.matcher(name).matches()) {
            throw validation("profileName must be 2 to 64 letters, digits or underscores");
        }
    }

    private static void reasonLength(String reason) {
        if (reason.isEmpty() || reason.length() > 500) {
            throw validation("reason must be 1 to 500 characters");
        }
    }

    /** A timestamp query parameter: epoch seconds (what the CLI sends) or ISO 8601. */
    private static Instant epochParameter(Fields q, String name) {
        String v = q.getValue(name);
        if (v == null) {
            return null;
        }
        try {
            return Instant.ofEpochMilli(Math.round(Double.parseDouble(v) * 1000));
        } catch (NumberFormatException e) {
            try {
                return java.time.OffsetDateTime.parse(v).toInstant();
            } catch (java.time.format.DateTimeParseException e2) {
                throw validation(name + " is not a timestamp");
            }
        }
    }

    private static int maxResults(Fields q, int limit) {
        String m = q.getValue("maxResults");
        if (m == null) {
            return limit;
        }
        try {
            int n = Integer.parseInt(m);
            if (n >= 1 && n <= limit) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the refusal
        }
        throw validation("maxResults must be between 1 and " + limit);
    }

    private static String text(JsonNode body, String field, boolean required) {
        JsonNode n = body.path(field);
        if (n.isTextual()) {
            return n.asText();
        }
        if (!required && (n.isMissingNode() || n.isNull())) {
            return null;
        }
        throw validation(field + " is required (a string)");
    }

    private static Double seconds(Instant t) {
        return t == null ? null : t.toEpochMilli() / 1000.0;
    }

    private static String newVersion() {
        StringBuilder b = new StringBuilder(10);
        for (int i = 0; i < 10; i++) {
            b.append(VERSION_CHARS.charAt(RANDOM.nextInt(VERSION_CHARS.length())));
        }
        return b.toString();
    }

    static RegistryException validation(String message) {
        return new RegistryException(ErrorCode.VALIDATION, message);
    }
}
