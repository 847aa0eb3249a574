package io.berth.server.console;

import io.berth.core.audit.AuditLog;
import io.berth.core.auth.Principal;
import io.berth.core.error.AwsService;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.spi.meta.AuditEvent;
import io.berth.core.spi.meta.AuditEvent.UserIdentity;
import io.berth.server.access.AccessControl;
import io.berth.server.audit.RequestAudit;
import io.berth.server.auth.Authenticator;
import io.berth.server.auth.Identities;
import io.berth.core.model.RegistryId;
import java.util.Optional;
import io.berth.server.console.ConsoleSessions.Session;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console at {@code /console}: server-rendered HTML pages, no script, nothing fetched from elsewhere. It
 * handles sign-in and sign-out, the session cookie and CSRF, and hands signed-in requests to {@link ConsolePages}.
 *
 * <p>Sign-in takes an access key ID and secret and checks them exactly as {@code /v2/} checks Basic credentials
 * ({@link Authenticator#authenticateRegistry}), so a revoked key or user cannot sign in; or an account ID, IAM user
 * name and the console password {@code berth admin set-console-password} set ({@link Identities#consoleUser}). The
 * principal's policies then govern every page as they govern its API calls. Every POST carries the
 * session's CSRF token (the sign-in form a pre-session token in its own cookie); the cookies are HttpOnly,
 * SameSite=Strict, and Secure when the request came over TLS.
 */
public final class ConsoleHandler extends Handler.Abstract {
    static final String SESSION_COOKIE = "berth_console";
    static final String PRE_SESSION_COOKIE = "berth_console_signin";
    /** Forms are small; the lifecycle policy text is at most 30720 characters in ECR. */
    static final int MAX_FORM_BYTES = 256 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleHandler.class);

    private final Authenticator authenticator;
    private final Identities identities;
    private final ConsoleSessions sessions;
    private final SignInThrottle throttle;
    private final AuditLog audit;
    private final ConsolePages pages;

    public ConsoleHandler(Authenticator authenticator, Identities identities, AuditLog audit, ConsolePages pages,
                          Clock clock) {
        this.authenticator = authenticator;
        this.identities = identities;
        this.audit = audit;
        this.pages = pages;
        this.sessions = new ConsoleSessions(pages.metadata, clock);
        this.throttle = new SignInThrottle(clock);
    }

    /** What a page answers: HTML with a status, or a redirect (303 after a POST) to {@code location}. */
    public record Reply(int status, String html, String location) {
        static Reply page(int status, String html) { return new Reply(status, html, null); }
        static Reply redirect(String location) { return new Reply(303, null, location); }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        String method = request.getMethod();
        Reply reply;
        try {
            Map<String, String> params = parse(request.getHttpURI().getQuery());
            if (method.equals("POST")) {
                params.putAll(form(request));
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                throw new RegistryException(ErrorCode.UNSUPPORTED, "the console accepts GET and POST");
            }
            reply = route(request, response, method, path, params);
        } catch (RegistryException e) {
            reply = error(e.code().httpStatus(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("console request {} {} failed", method, path, e);
            reply = error(500, "internal error (the server log has the details)");
        }
        send(response, reply, callback);
        return true;
    }

    private Reply route(Request request, Response response, String method, String path, Map<String, String> params) {
        if (path.equals("/console/signin")) {
            return method.equals("POST") ? signIn(request, response, params) : signInForm(request, response, null, 200);
        }
        Session session = cookie(request, SESSION_COOKIE) == null ? null
                : sessions.find(cookie(request, SESSION_COOKIE)).orElse(null);
        if (session == null) {
            if (method.equals("POST")) {
                throw new RegistryException(ErrorCode.DENIED, "not signed in (or the session expired): sign in again");
            }
            return Reply.redirect("/console/signin");
        }
        if (method.equals("POST") && !session.csrfMatches(params.get("csrf"))) {
            throw new RegistryException(ErrorCode.DENIED, "the form's CSRF token is missing or wrong: reload the page");
        }
        if (path.equals("/console/signout") && method.equals("POST")) {
            sessions.end(session.id());
            response.getHeaders().add(HttpHeader.SET_COOKIE, cookieHeader(request, SESSION_COOKIE, "", 0));
            return Reply.redirect("/console/signin");
        }
        ConsoleView view = new ConsoleView(session, origin(request), publicHost(request));
        String page = path.equals("/console") || path.equals("/console/") ? "/console/repositories" : path;
        String change = method.equals("POST") ? ConsolePages.changeOf(page, params) : null;
        if (change == null) {
            return pages.handle(view, method, page, params);
        }
        // a change is audited like the API call it stands for, success or not
        String repository = params.get(page.equals("/console/repositories") ? "name" : "repository");
        Reply reply;
        try {
            reply = pages.handle(view, method, page, params);
        } catch (RegistryException e) {
            audit.record(changeEvent(request, view, change, repository, e.code().awsType(AwsService.ECR),
                    e.getMessage()));
            throw e;
        }
        audit.record(changeEvent(request, view, change, repository, reply.status() >= 400
                ? ErrorCode.INVALID_PARAMETER.awsType(AwsService.ECR) : null, null));
        return reply;
    }

    private static AuditEvent changeEvent(Request request, ConsoleView view, String action, String repository,
                                          String errorCode, String message) {
        boolean named = repository != null && repository.matches("[a-z0-9._/-]{1,256}");
        return RequestAudit.event(request, action, AuditEvent.SOURCE_ECR, UserIdentity.of(view.principal()),
                named ? "{\"repositoryName\":\"" + repository + "\",\"via\":\"console\"}" : "{\"via\":\"console\"}",
                null, errorCode, message, named ? repository : null, view.account().value());
    }

    private Reply signInForm(Request request, Response response, String message, int status) {
        String token = ConsoleSessions.randomToken();
        response.getHeaders().add(HttpHeader.SET_COOKIE, cookieHeader(request, PRE_SESSION_COOKIE, token, 600));
        String body = (message == null ? "" : "<p class=\"error\" role=\"alert\">" + Html.text(message) + "</p>")
                + "<h2>With an access key</h2><form method=\"post\" action=\"/console/signin\">"
                + Html.csrfField(token)
                + "<p><label for=\"accessKeyId\">Access key ID</label><br>"
                + "<input id=\"accessKeyId\" name=\"accessKeyId\" autocomplete=\"username\" required></p>"
                + "<p><label for=\"secret\">Secret access key</label><br>"
                + "<input id=\"secret\" name=\"secret\" type=\"password\" autocomplete=\"current-password\" required>"
                + "</p><p><button type=\"submit\">Sign in</button></p></form>"
                + "<h2>As an IAM user with a console password</h2><form method=\"post\" action=\"/console/signin\">"
                + Html.csrfField(token)
                + "<p><label for=\"account\">Account ID</label><br>"
                + "<input id=\"account\" name=\"account\" inputmode=\"numeric\" autocomplete=\"organization\" "
                + "required></p><p><label for=\"user\">User name</label><br>"
                + "<input id=\"user\" name=\"user\" autocomplete=\"username\" required></p>"
                + "<p><label for=\"password\">Password</label><br>"
                + "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" "
                + "required></p><p><button type=\"submit\">Sign in with the password</button></p></form>";
        return Reply.page(status, Html.page("Sign in", null, null, body));
    }

    private Reply signIn(Request request, Response response, Map<String, String> params) {
        String pre = cookie(request, PRE_SESSION_COOKIE);
        if (pre == null || !pre.equals(params.get("csrf"))) {
            throw new RegistryException(ErrorCode.DENIED, "the sign-in form's CSRF token is missing or wrong: reload");
        }
        String address = Request.getRemoteAddr(request);
        boolean withPassword = params.containsKey("password");
        UserIdentity presented = withPassword ? passwordUser(params) : UserIdentity.presented(keyId(params));
        long wait = throttle.retryAfterSeconds(address);
        if (wait > 0) {
            audit.record(signInEvent(request, presented, "ThrottlingException",
                    "too many failed sign-ins from this address"));
            response.getHeaders().put(HttpHeader.RETRY_AFTER, wait);
            return signInForm(request, response, "Too many failed sign-ins from this address: wait " + wait
                    + " s and try again.", 429);
        }
        Optional<Principal> principal = withPassword ? passwordSignIn(params) : keySignIn(params);
        if (principal.isEmpty()) {
            throttle.failed(address);
            audit.record(signInEvent(request, presented, "AccessDenied", "Failed authentication"));
            return signInForm(request, response, withPassword ? "The account, user name or password is wrong."
                    : "The access key ID or secret is wrong.", 401);
        }
        Session session = sessions.start(principal.get()); // always a new ID: no fixation
        audit.record(signInEvent(request, UserIdentity.of(principal.get()), null, null));
        response.getHeaders().add(HttpHeader.SET_COOKIE, cookieHeader(request, PRE_SESSION_COOKIE, "", 0));
        response.getHeaders().add(HttpHeader.SET_COOKIE, cookieHeader(request, SESSION_COOKIE, session.id(),
                ConsoleSessions.MAX_AGE.toSeconds()));
        return Reply.redirect("/console/repositories");
    }

    /** Key and secret, checked exactly as {@code /v2/} checks Basic credentials. */
    private Optional<Principal> keySignIn(Map<String, String> params) {
        String keyId = keyId(params);
        String secret = params.getOrDefault("secret", "");
        // "AWS" is the user name of a registry token in Basic, which is no console credential
        if (keyId.isEmpty() || secret.isEmpty() || keyId.equals("AWS")) {
            return Optional.empty();
        }
        String basic = "Basic " + Base64.getEncoder().encodeToString((keyId + ":" + secret)
                .getBytes(StandardCharsets.UTF_8));
        try {
            return authenticator.authenticateRegistry(basic);
        } catch (RegistryException e) {
            return Optional.empty();
        }
    }

    /** Account, IAM user name and console password (set by {@code berth admin set-console-password}). */
    private Optional<Principal> passwordSignIn(Map<String, String> params) {
        String account = params.getOrDefault("account", "").trim();
        String user = params.getOrDefault("user", "").trim();
        String password = params.getOrDefault("password", "");
        if (!account.matches("[0-9]{12}") || !user.matches("[\\w+=,.@-]{1,64}") || password.isEmpty()
                || password.length() > 1024) {
            return Optional.empty();
        }
        return identities.consoleUser(new RegistryId(account), user, password.toCharArray());
    }

    /** Who a failed password sign-in named, for the audit trail: the user's ARN if it is well formed, never more. */
    private static UserIdentity passwordUser(Map<String, String> params) {
        String account = params.getOrDefault("account", "").trim();
        String user = params.getOrDefault("user", "").trim();
        if (account.matches("[0-9]{12}") && user.matches("[\\w+=,.@-]{1,64}")) {
            return UserIdentity.of(Principal.user(new RegistryId(account), user, null));
        }
        return UserIdentity.presented("");
    }

    /** The presented key ID if it looks like one (it names the key in the audit trail; never the secret). */
    private static String keyId(Map<String, String> params) {
        String id = params.getOrDefault("accessKeyId", "").trim();
        return id.matches("[A-Z0-9]{1,128}") ? id : "";
    }

    /** AWS records console sign-ins as {@code ConsoleLogin} from {@code signin.amazonaws.com}. */
    private static AuditEvent signInEvent(Request request, UserIdentity who, String errorCode, String message) {
        return RequestAudit.event(request, "ConsoleLogin", "signin.amazonaws.com", who, null,
                "{\"ConsoleLogin\":\"" + (errorCode == null ? "Success" : "Failure") + "\"}", errorCode, message,
                null, who.accountId());
    }

    private static String cookieHeader(Request request, String name, String value, long maxAgeSeconds) {
        return name + "=" + value + "; Path=/console; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (request.isSecure() ? "; Secure" : "");
    }

    private static String cookie(Request request, String name) {
        for (HttpCookie c : Request.getCookies(request)) {
            if (c.getName().equals(name) && !c.getValue().isEmpty()) {
                return c.getValue();
            }
        }
        return null;
    }

    private static Map<String, String> form(Request request) {
        long length = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (length > MAX_FORM_BYTES) {
            throw new RegistryException(ErrorCode.INVALID_PARAMETER, "the form is larger than " + MAX_FORM_BYTES
                    + " bytes");
        }
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null || !type.startsWith("application/x-www-form-urlencoded")) {
            throw new RegistryException(ErrorCode.INVALID_PARAMETER, "forms are application/x-www-form-urlencoded");
        }
        try {
            String body = Content.Source.asString(request, StandardCharsets.UTF_8);
            if (body.length() > MAX_FORM_BYTES) {
                throw new RegistryException(ErrorCode.INVALID_PARAMETER, "the form is too large");
            }
            return parse(body);
        } catch (java.io.IOException e) {
            throw new RegistryException(ErrorCode.INVALID_PARAMETER, "the form could not be read");
        }
    }

    /** {@code a=b&c=d}, URL-decoded; the first value of a repeated name wins. */
    static Map<String, String> parse(String encoded) {
        Map<String, String> out = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return out;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v,
                        StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new RegistryException(ErrorCode.INVALID_PARAMETER, "malformed form or query encoding");
            }
        }
        return out;
    }

    private static AccessControl.Origin origin(Request request) {
        java.net.SocketAddress a = request.getConnectionMetaData().getRemoteSocketAddress();
        InetAddress ip = a instanceof InetSocketAddress isa ? isa.getAddress() : null;
        return new AccessControl.Origin(ip, request.isSecure());
    }

    /** The host:port clients reach this server at, for the copyable commands. */
    private static String publicHost(Request request) {
        String host = request.getHttpURI().getHost();
        int port = request.getHttpURI().getPort();
        return (host == null ? "localhost" : host) + (port > 0 ? ":" + port : "");
    }

    private static Reply error(int status, String message) {
        return Reply.page(status, Html.page("Error", null, null, "<p class=\"error\" role=\"alert\">"
                + Html.text(message) + "</p><p><a href=\"/console/repositories\">Back to the repositories</a></p>"));
    }

    private static void send(Response response, Reply reply, Callback callback) {
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("X-Frame-Options", "DENY");
        response.getHeaders().put("Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.setStatus(reply.status());
        if (reply.location() != null) {
            response.getHeaders().put(HttpHeader.LOCATION, reply.location());
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
            response.write(true, ByteBuffer.allocate(0), callback);
            return;
        }
        byte[] body = reply.html().getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
