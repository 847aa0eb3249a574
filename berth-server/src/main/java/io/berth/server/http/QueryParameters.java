package io.berth.server.http;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * The query string as parameters, for both planes. Jetty throws an unchecked exception for percent-encoding that is not UTF-8
 * ({@code %FF}, an overlong {@code %C0}, a truncated {@code %4}); that is a malformed request, never a server fault.
 */
public final class QueryParameters {
    private QueryParameters() {}

    /** The parameters; INVALID_PARAMETER (400) when the query is not valid percent-encoded UTF-8. */
    public static Fields parse(Request request) {
        try {
            return Request.extractQueryParameters(request);
        } catch (RuntimeException e) {
            throw new RegistryException(ErrorCode.INVALID_PARAMETER,
                    "the query string is not valid percent-encoded UTF-8");
        }
    }

    /** The parameters, or none when the query is malformed (for records of a request already refused). */
    public static Fields parseOrEmpty(Request request) {
        try {
            return Request.extractQueryParameters(request);
        } catch (RuntimeException e) {
            return Fields.EMPTY;
        }
    }
}
