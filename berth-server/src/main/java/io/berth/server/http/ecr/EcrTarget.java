package io.berth.server.http.ecr;

import io.berth.core.auth.Principal;
import io.berth.core.model.RegistryId;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an ECR request addresses, read from its request shape before the action runs, so authorization happens in
 * one place for every action: the registry (the {@code registryId} field, the account of a {@code resourceArn},
 * else the caller's own account) and the repository ({@code repositoryName}, or the ARN's name; null for
 * account-level actions). The fields are found by their AWS names among the record's components.
 *
 * @param repository the validated repository name, or null for an account-level request
 */
record EcrTarget(RegistryId registry, String repository) {
    private static final Map<Class<?>, Method[]> ACCESSORS = new ConcurrentHashMap<>();

    static EcrTarget of(Object request, Principal principal, String region) {
        Method[] a = ACCESSORS.computeIfAbsent(request.getClass(), EcrTarget::accessors);
        String registryId = (String) read(a[0], request);
        String repositoryName = (String) read(a[1], request);
        String resourceArn = (String) read(a[2], request);
        RegistryId own = principal.account() != null ? principal.account() : RegistryId.DEFAULT;
        if (a[2] != null) {
            RepositoryArn arn = RepositoryArn.parse(resourceArn, region);
            return new EcrTarget(arn.registry(), arn.name().value());
        }
        RegistryId registry = own;
        if (registryId != null) {
            Validation.pattern("registryId", registryId, "[0-9]{12}");
            registry = new RegistryId(registryId);
        }
        String repository = a[1] == null ? null : Validation.repositoryName(repositoryName).value();
        return new EcrTarget(registry, repository);
    }

    private static Method[] accessors(Class<?> type) {
        Method[] out = new Method[3];
        RecordComponent[] components = type.getRecordComponents();
        if (components == null) {
            return out;
        }
        for (RecordComponent c : components) {
            if (c.getType() != String.class) {
                continue;
            }
            switch (c.getName()) {
                case "registryId" -> out[0] = c.getAccessor();
                case "repositoryName" -> out[1] = c.getAccessor();
                case "resourceArn" -> out[2] = c.getAccessor();
                default -> { }
            }
        }
        for (Method m : out) {
            if (m != null) {
                m.setAccessible(true); // the request records are package-private
            }
        }
        return out;
    }

    private static Object read(Method accessor, Object request) {
        if (accessor == null) {
            return null;
        }
        try {
            return accessor.invoke(request);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + accessor.getName() + " of " + request.getClass(), e);
        }
    }
}
