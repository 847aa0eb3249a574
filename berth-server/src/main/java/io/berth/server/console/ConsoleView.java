package io.berth.server.console;

import io.berth.core.auth.Principal;
import io.berth.core.model.RegistryId;
import io.berth.server.access.AccessControl;
import io.berth.server.console.ConsoleSessions.Session;

/**
 * One signed-in console request: the session (its principal and CSRF token), where it came from (for
 * {@code aws:SourceIp} conditions, as on the APIs) and the host clients reach this server at.
 */
record ConsoleView(Session session, AccessControl.Origin origin, String host) {
    /** The endpoint the {@code aws ecr} commands name: this server, https when the request came over TLS. */
    String endpoint() { return (origin.secure() ? "https://" : "http://") + host; }

    Principal principal() { return session.principal(); }

    /** The console shows the signed-in principal's own account (as the AWS console does). */
    RegistryId account() { return session.principal().account(); }

    String csrf() { return session.csrf(); }

    String who() { return session.principal().arn(); }
}
