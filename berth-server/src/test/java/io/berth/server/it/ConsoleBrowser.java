package io.berth.server.it;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal cookie-keeping client for the console over real HTTP: it follows no redirects (tests assert them), keeps
 * the cookies the server sets, and reads the CSRF token out of the last page's forms.
 */
final class ConsoleBrowser {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"");
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final int port;
    final Map<String, String> cookies = new LinkedHashMap<>();
    String lastCsrf;

    ConsoleBrowser(int port) {
        this.port = port;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return remember(client.send(builder(path).GET().build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** POSTs {@code form} (name, value pairs) as a urlencoded form, without adding a CSRF field itself. */
    HttpResponse<String> post(String path, String... form) throws IOException, InterruptedException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < form.length; i += 2) {
            b.append(b.length() == 0 ? "" : "&").append(URLEncoder.encode(form[i], StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(form[i + 1], StandardCharsets.UTF_8));
        }
        return remember(client.send(builder(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(b.toString())).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    /** Signs in with the form as a browser does: fetch the form (and its token), then post it. */
    HttpResponse<String> signIn(String keyId, String secret) throws IOException, InterruptedException {
        get("/console/signin");
        return post("/console/signin", "csrf", lastCsrf, "accessKeyId", keyId, "secret", secret);
    }

    /** Signs in with the IAM user form: account ID, user name and console password. */
    HttpResponse<String> signInWithPassword(String account, String user, String password)
            throws IOException, InterruptedException {
        get("/console/signin");
        return post("/console/signin", "csrf", lastCsrf, "account", account, "user", user, "password", password);
    }

    private HttpRequest.Builder builder(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (!cookies.isEmpty()) {
            StringBuilder c = new StringBuilder();
            cookies.forEach((k, v) -> c.append(c.length() == 0 ? "" : "; ").append(k).append('=').append(v));
            b.header("Cookie", c.toString());
        }
        return b;
    }

    private HttpResponse<String> remember(HttpResponse<String> r) {
        for (String header : setCookies(r)) {
            String pair = header.split(";", 2)[0];
            int eq = pair.indexOf('=');
            String name = pair.substring(0, eq);
            String value = pair.substring(eq + 1);
            if (value.isEmpty()) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
        Matcher m = CSRF.matcher(r.body());
        if (m.find()) {
            lastCsrf = m.group(1);
        }
        return r;
    }

    static List<String> setCookies(HttpResponse<?> r) {
        return r.headers().allValues("Set-Cookie");
    }
}
