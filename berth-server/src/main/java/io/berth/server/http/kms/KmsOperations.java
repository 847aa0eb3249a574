package io.berth.server.http.kms;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.kms.KeyCaller;
import io.berth.core.kms.KeyCrypto;
import io.berth.core.kms.KeyRef;
import io.berth.core.kms.KeyService;
import io.berth.core.kms.Keys;
import io.berth.core.region.Regions;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The key service's operation table: each KMS operation reads its members ({@link KmsRequest}), calls
 * {@link KeyService} or {@link KeyCrypto}, and answers KMS's response shape (timestamps in epoch seconds, blobs
 * base64 through Jackson, key IDs in responses as ARNs where KMS gives ARNs).
 */
final class KmsOperations {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final Set<String> KEY_SPECS = Set.of("SYMMETRIC_DEFAULT");

    private final KeyService service;
    private final KeyCrypto crypto;
    private final Keys keys;
    private final Map<String, BiFunction<KeyCaller, KmsRequest, Object>> table = new LinkedHashMap<>();

    KmsOperations(KeyService service, KeyCrypto crypto) {
        this.service = service;
        this.crypto = crypto;
        this.keys = service.keys();
        table.put("CreateKey", this::createKey);
        table.put("DescribeKey", (p, q) -> Map.of("KeyMetadata", metadata(service.describe(p,
                q.requiredString("KeyId")))));
        table.put("ListKeys", this::listKeys);
        table.put("EnableKey", (p, q) -> none(service.enable(p, q.requiredString("KeyId"))));
        table.put("DisableKey", (p, q) -> none(service.disable(p, q.requiredString("KeyId"))));
        table.put("ScheduleKeyDeletion", this::scheduleDeletion);
        table.put("CancelKeyDeletion", (p, q) -> Map.of("KeyId", keys.arn(service.cancelDeletion(p,
                q.requiredString("KeyId")))));
        table.put("EnableKeyRotation", (p, q) -> none(service.enableRotation(p, q.requiredString("KeyId"),
                q.integer("RotationPeriodInDays"))));
        table.put("DisableKeyRotation", (p, q) -> none(service.disableRotation(p, q.requiredString("KeyId"))));
        table.put("GetKeyRotationStatus", this::rotationStatus);
        table.put("RotateKeyOnDemand", (p, q) -> Map.of("KeyId", service.rotateNow(p, q.requiredString("KeyId"))
                .keyId()));
        table.put("GetKeyPolicy", (p, q) -> {
            Keys.Found f = service.policy(p, q.requiredString("KeyId"), q.string("PolicyName"));
            return Map.of("Policy", f.policy(), "PolicyName", "default");
        });
        table.put("PutKeyPolicy", (p, q) -> none(service.putPolicy(p, q.requiredString("KeyId"),
                q.string("PolicyName"), q.requiredString("Policy"))));
        table.put("CreateAlias", (p, q) -> {
            service.createAlias(p, q.requiredString("AliasName"), q.requiredString("TargetKeyId"));
            return Map.of();
        });
        table.put("DeleteAlias", (p, q) -> {
            service.deleteAlias(p, q.requiredString("AliasName"));
            return Map.of();
        });
        table.put("ListAliases", this::listAliases);
        table.put("Encrypt", (p, q) -> sealed(crypto.encrypt(p, q.requiredString("KeyId"),
                q.requiredBlob("Plaintext"), q.context()), true));
        table.put("GenerateDataKey", (p, q) -> sealed(crypto.generateDataKey(p, q.requiredString("KeyId"),
                q.string("KeySpec"), q.integer("NumberOfBytes"), q.context()), false));
        table.put("Decrypt", (p, q) -> {
            KeyCrypto.Opened o = crypto.decrypt(p, q.requiredBlob("CiphertextBlob"), q.string("KeyId"),
                    q.context());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("KeyId", o.keyArn());
            out.put("Plaintext", o.plaintext());
            out.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
            return out;
        });
    }

    List<String> names() { return new ArrayList<>(table.keySet()); }

    Regions regions() { return keys.regions(); }

    Object answer(String operation, KeyCaller caller, byte[] body) {
        BiFunction<KeyCaller, KmsRequest, Object> op = operation == null ? null : table.get(operation);
        if (op == null) {
            throw new RegistryException(ErrorCode.UNKNOWN_OPERATION, operation == null ? "Missing X-Amz-Target header"
                    : "Unknown operation TrentService." + operation);
        }
        return op.apply(caller, KmsRequest.parse(body));
    }

    private Object createKey(KeyCaller caller, KmsRequest q) {
        String usage = q.string("KeyUsage");
        String spec = q.string("KeySpec") != null ? q.string("KeySpec") : q.string("CustomerMasterKeySpec");
        String origin = q.string("Origin");
        if ((usage != null && !usage.equals("ENCRYPT_DECRYPT")) || (spec != null && !KEY_SPECS.contains(spec))
                || (origin != null && !origin.equals("AWS_KMS")) || Boolean.TRUE.equals(q.bool("MultiRegion"))
                || q.has("CustomKeyStoreId") || q.has("XksKeyId")) {
            throw new RegistryException(ErrorCode.KMS_UNSUPPORTED, "This key service has symmetric "
                    + "(SYMMETRIC_DEFAULT) ENCRYPT_DECRYPT keys with AWS_KMS origin only, in one Region");
        }
        if (q.has("Tags")) {
            throw new RegistryException(ErrorCode.KMS_UNSUPPORTED, "Tags on keys are not supported by this key "
                    + "service; create the key without Tags");
        }
        String description = q.string("Description");
        if (description != null && description.length() > 8192) {
            throw new RegistryException(ErrorCode.VALIDATION, "1 validation error detected: Value at 'description' "
                    + "failed to satisfy constraint: Member must have length less than or equal to 8192");
        }
        return Map.of("KeyMetadata", metadata(service.create(caller, description, q.string("Policy"))));
    }

    private Object listKeys(KeyCaller caller, KmsRequest q) {
        int limit = limit(q);
        List<Keys.Found> page = service.list(caller, q.string("Marker"), limit);
        List<Map<String, String>> out = new ArrayList<>();
        for (Keys.Found k : page.subList(0, Math.min(limit, page.size()))) {
            out.add(Map.of("KeyId", k.keyId(), "KeyArn", keys.arn(k)));
        }
        return page(out, "Keys", page.size() > limit ? page.get(limit - 1).keyId() : null);
    }

    private Object listAliases(KeyCaller caller, KmsRequest q) {
        int limit = limit(q);
        List<Keys.Alias> page = service.aliases(caller, q.string("KeyId"), q.string("Marker"), limit);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Keys.Alias a : page.subList(0, Math.min(limit, page.size()))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("AliasName", a.name());
            m.put("AliasArn", KeyRef.aliasArn(keys.region(caller.registry()), caller.registry(), a.name()));
            m.put("TargetKeyId", a.keyId());
            m.put("CreationDate", seconds(a.createdAt()));
            m.put("LastUpdatedDate", seconds(a.updatedAt()));
            out.add(m);
        }
        return page(out, "Aliases", page.size() > limit ? page.get(limit - 1).name() : null);
    }

    private Object scheduleDeletion(KeyCaller caller, KmsRequest q) {
        Keys.Found f = service.scheduleDeletion(caller, q.requiredString("KeyId"), q.integer("PendingWindowInDays"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", keys.arn(f));
        out.put("DeletionDate", seconds(f.deletionAt()));
        out.put("KeyState", f.state());
        out.put("PendingWindowInDays", f.pendingWindowDays());
        return out;
    }

    private Object rotationStatus(KeyCaller caller, KmsRequest q) {
        Keys.Found f = service.rotationStatus(caller, q.requiredString("KeyId"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyRotationEnabled", f.rotationEnabled());
        out.put("KeyId", f.keyId());
        if (f.rotationEnabled()) {
            out.put("RotationPeriodInDays", f.rotationPeriodDays());
            out.put("NextRotationDate", seconds(f.nextRotation()));
        }
        return out;
    }

    private Map<String, Object> metadata(Keys.Found k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("AWSAccountId", k.account().value());
        m.put("KeyId", k.keyId());
        m.put("Arn", keys.arn(k));
        m.put("CreationDate", seconds(k.createdAt()));
        m.put("Enabled", k.enabled());
        m.put("Description", k.description());
        m.put("KeyUsage", "ENCRYPT_DECRYPT");
        m.put("KeyState", k.state());
        if (k.pendingDeletion()) {
            m.put("DeletionDate", seconds(k.deletionAt()));
            m.put("PendingDeletionWindowInDays", k.pendingWindowDays());
        }
        m.put("Origin", "AWS_KMS");
        m.put("KeyManager", k.keyManager());
        m.put("CustomerMasterKeySpec", "SYMMETRIC_DEFAULT");
        m.put("KeySpec", "SYMMETRIC_DEFAULT");
        m.put("EncryptionAlgorithms", List.of("SYMMETRIC_DEFAULT"));
        m.put("MultiRegion", false);
        return m;
    }

    private static Map<String, Object> sealed(KeyCrypto.Sealed s, boolean encrypt) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("CiphertextBlob", s.ciphertext());
        if (s.plaintext() != null) {
            out.put("Plaintext", s.plaintext());
        }
        out.put("KeyId", s.keyArn());
        if (encrypt) {
            out.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        }
        return out;
    }

    private static Map<String, Object> page(List<?> items, String name, String next) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(name, items);
        out.put("Truncated", next != null);
        if (next != null) {
            out.put("NextMarker", next);
        }
        return out;
    }

    private static int limit(KmsRequest q) {
        Integer limit = q.integer("Limit");
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        return KeyService.between("limit", limit, 1, MAX_LIMIT);
    }

    /** KMS's timestamps: epoch seconds with milliseconds, as a JSON number. */
    private static BigDecimal seconds(Instant t) {
        return BigDecimal.valueOf(t.toEpochMilli(), 3);
    }

    /** Operations that answer an empty body. */
    private static Object none(Keys.Found ignored) {
        return Map.of();
    }
}
