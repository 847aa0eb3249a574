package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #7, item 6: every distinct 12-digit {@code Host} prefix used to create a registry service and a policy-cache
 * entry before any check (15,000 requests made 15,000 objects). Now only accounts that exist get either; a request to
 * any other ID is refused as ECR refuses a registry the caller may not use: 403 DENIED with AWS's message for an
 * authenticated caller (the same as for an existing account that grants nothing, so account existence is not
 * revealed), 401 UNAUTHORIZED for an anonymous one.
 */
class UnknownAccountHostIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static final int REQUESTS = 3_000;
    private static final int BATCH = 50; // pipelined per write: keeps 3,000 requests to a few seconds

    @Test
    void distinctHostIds_refused_andCachesStayBounded() throws Exception {
        var services = server.app().stores().services();
        var policies = server.app().stores().policies().cache();
        int servicesBefore = services.cachedServiceCount();
        int policiesBefore = policies.size();
        List<String> answers = new ArrayList<>();
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            for (int i = 0; i < REQUESTS; i += BATCH) {
                StringBuilder batch = new StringBuilder();
                for (int j = i; j < i + BATCH; j++) {
                    boolean anonymous = j % 3 == 0;
                    batch.append("GET /v2/app/manifests/latest HTTP/1.1\r\nHost: ").append(900_000_000_000L + j)
                            .append(".dkr.ecr.us-east-1.localhost\r\n");
                    if (!anonymous) {
                        batch.append("Authorization: ").append(server.basicAuth()).append("\r\n");
                    }
                    batch.append("\r\n");
                }
                s.getOutputStream().write(batch.toString().getBytes(StandardCharsets.US_ASCII));
                for (int j = i; j < i + BATCH; j++) {
                    answers.add(readResponse(s.getInputStream()));
                }
            }
        }
        for (int j = 0; j < REQUESTS; j++) {
            String host = (900_000_000_000L + j) + ".dkr.ecr.us-east-1.localhost";
            if (j % 3 == 0) {
                assertThat(answers.get(j)).as("anonymous GET manifest at Host %s", host)
                        .startsWith("HTTP/1.1 401").contains("UNAUTHORIZED");
            } else {
                assertThat(answers.get(j)).as("GET manifest at Host %s as account %s's root", host, TestServer.ACCOUNT)
                        .startsWith("HTTP/1.1 403").contains("DENIED")
                        .contains("is not authorized to perform: ecr:BatchGetImage on resource: arn:aws:ecr:us-east-1:"
                                + (900_000_000_000L + j) + ":repository/app");
            }
        }
        assertThat(services.cachedServiceCount()).as("registry services kept after %d distinct unknown Host IDs",
                REQUESTS).isEqualTo(servicesBefore);
        assertThat(policies.size()).as("policy cache entries after %d distinct unknown Host IDs", REQUESTS)
                .isLessThanOrEqualTo(policiesBefore + 1); // at most the caller's own account view
    }

    @Test
    void createdAccount_worksByHostPrefix_andGetsItsService() throws Exception {
        String out = server.admin("create-account", "--account", "210987654321");
        String auth = TestServer.basic(field(out, "AccessKeyId"), field(out, "SecretAccessKey"));
        String host = "210987654321.dkr.ecr.us-east-1.localhost";
        assertThat(server.rawGet(host, "/v2/", auth)).as("GET /v2/ at the new account's host as its root")
                .startsWith("HTTP/1.1 200");
        Thread.sleep(1_100); // past KnownAccounts.REFRESH, in case the other test's flood just refreshed the set
        String tags = server.rawGet(host, "/v2/nothing/here/tags/list", auth);
        assertThat(tags).as("tags of a missing repository in its own registry: not denied, just unknown")
                .startsWith("HTTP/1.1 404").contains("NAME_UNKNOWN");
        assertThat(server.rawGet(host, "/v2/nothing/here/tags/list", server.basicAuth()))
                .as("the same at its host as the default account's root: another account, no grant")
                .startsWith("HTTP/1.1 403").contains("DENIED");
        assertThat(server.app().stores().services().accounts().exists(
                new io.berth.core.model.RegistryId("210987654321"))).as("known after creation").isTrue();
    }

    private static String field(String out, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(name + ":\\s+(\\S+)").matcher(out);
        assertThat(m.find()).as("%s in admin output %s", name, out).isTrue();
        return m.group(1);
    }

    /** One HTTP/1.1 response with a Content-Length body, off a kept-alive connection. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed after " + head);
            }
            head.append((char) c);
        }
        long length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Long.parseLong(line.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes((int) length);
        return head + new String(body, StandardCharsets.UTF_8);
    }
}
