package io.berth.server.http.ecr;

/**
 * One ECR API operation: its request shape (deserialised from the JSON body) and what it does. Actions validate
 * their input like ECR (see {@link Validation}), call the core services and return the response shape; failures are
 * {@link io.berth.core.error.RegistryException}s that {@link EcrErrorWriter} turns into AWS errors.
 */
interface EcrAction<Q, R> {

    /** The operation name after the target prefix, such as {@code CreateRepository}. */
    String name();

    Class<Q> requestType();

    R handle(EcrCall call, Q request);

    /**
     * True for actions that check permissions themselves (per repository of a listing); all others are checked
     * by {@link EcrHandler} for {@code ecr:<name>} on their {@link EcrTarget} before {@link #handle} runs.
     */
    default boolean authorizesItself() { return false; }
}
