package io.berth.server.http.aws;

/**
 * A service's table of operations on the plane: runs the operation an admitted call names and returns its result
 * for the protocol to encode. Failures are {@link io.berth.core.error.RegistryException}s, written by the
 * protocol's error writer; an operation it does not have is one too, in the service's own words.
 */
@FunctionalInterface
public interface AwsOperations {
    /** @param operation what the call names in its protocol, or null when it names nothing */
    Object answer(AwsCall call, String operation) throws Exception;
}
