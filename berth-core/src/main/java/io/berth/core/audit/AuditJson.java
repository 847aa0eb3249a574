package io.berth.core.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.berth.core.spi.meta.AuditEvent;

/** One event as one line of CloudTrail-shaped JSON: for the JSON-lines file and {@code berth admin audit --json}. */
public final class AuditJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AuditJson() {}

    public static String line(AuditEvent e) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("eventTime", e.eventTime().toString());
        o.put("eventName", e.eventName());
        o.put("eventSource", e.eventSource());
        ObjectNode who = o.putObject("userIdentity");
        AuditEvent.UserIdentity u = e.userIdentity();
        who.put("type", u.type());
        putIf(who, "accountId", u.accountId());
        putIf(who, "arn", u.arn());
        putIf(who, "accessKeyId", u.accessKeyId());
        putIf(who, "userName", u.userName());
        putIf(o, "sourceIPAddress", e.sourceIPAddress());
        putIf(o, "userAgent", e.userAgent());
        // stored already redacted and serialised: embedded as they are, not parsed again
        o.putRawValue("requestParameters", new RawValue(e.requestParameters() == null ? "null"
                : e.requestParameters()));
        if (e.responseElements() != null) {
            o.putRawValue("responseElements", new RawValue(e.responseElements()));
        }
        putIf(o, "errorCode", e.errorCode());
        putIf(o, "errorMessage", e.errorMessage());
        putIf(o, "requestID", e.requestId());
        putIf(o, "repository", e.repository());
        putIf(o, "registryId", e.registryId());
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot serialise audit event", ex);
        }
    }

    private static void putIf(ObjectNode o, String name, String value) {
        if (value != null) {
            o.put(name, value);
        }
    }
}
