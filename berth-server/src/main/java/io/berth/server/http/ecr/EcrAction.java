package io.berth.server.http.ecr;

/**
 * One ECR API operation: its request shape (deserialised from the JSON body) and what it does. Its name is its key
 * in {@link EcrActions}. The request record declares what it addresses ({@link EcrTarget.InRepository} and the
 * like), and the action finds that registry and repository validated and authorized on its {@link EcrCall}.
 * Actions validate the rest of their input like ECR (see {@link Validation}), call the core services and return the
 * response shape; failures are {@link io.berth.core.error.RegistryException}s that the plane's JSON protocol writes
 * as AWS errors.
 */
interface EcrAction<Q, R> {

    Class<Q> requestType();

    R handle(EcrCall call, Q request);

    /**
     * True for actions that check permissions themselves (per repository of a listing); all others are checked
     * by {@link EcrHandler} for {@code ecr:<name>} on their {@link EcrTarget} before {@link #handle} runs.
     */
    default boolean authorizesItself() { return false; }
}
