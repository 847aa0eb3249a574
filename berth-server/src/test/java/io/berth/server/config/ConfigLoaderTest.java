package io.berth.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.server.config.LogConfig.LogFormat;
import io.berth.server.config.MetadataConfig.MetadataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void defaults() {
        BerthConfig c = ConfigLoader.load(Optional.empty(), Map.of(), Map.of());
        assertThat(c.http().host()).isEqualTo("0.0.0.0");
        assertThat(c.http().port()).isEqualTo(5000);
        assertThat(c.http().tls()).isEmpty();
        assertThat(c.storage().data()).isEqualTo(Path.of("./data").toAbsolutePath().normalize());
        assertThat(c.metadata().type()).isEqualTo(MetadataType.SQLITE);
        assertThat(c.metadata().url()).isEmpty();
        assertThat(c.sqliteFile()).isEqualTo(c.storage().data().resolve("berth.db"));
        assertThat(c.gc().interval()).isEqualTo(Duration.ofHours(1));
        assertThat(c.gc().grace()).isEqualTo(Duration.ofHours(24));
        assertThat(c.log().format()).isEqualTo(LogFormat.TEXT);
        assertThat(c.registry().createOnPush()).isEqualTo(io.berth.core.service.CreateOnPush.ALWAYS);
    }

    @Test
    void createOnPush_fromEnv_andValidated() {
        assertThat(ConfigLoader.load(Optional.empty(), Map.of("BERTH_CREATE_ON_PUSH", "false"), Map.of())
                .registry().createOnPush()).isEqualTo(io.berth.core.service.CreateOnPush.NEVER);
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("BERTH_CREATE_ON_PUSH", "maybe"),
                Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("registry.create-on-push");
    }

    @Test
    void everyKeyFromTheFile() throws IOException {
        Path cert = Files.writeString(dir.resolve("c.pem"), "x");
        Path key = Files.writeString(dir.resolve("k.pem"), "x");
        Path file = Files.writeString(dir.resolve("berth.yaml"), String.join("\n",
                "listen: 127.0.0.1:6000",
                "data: " + dir.resolve("d"),
                "metadata:",
                "  type: postgres",
                "  url: jdbc:postgresql://127.0.0.1:5432/berth",
                "  user: berth",
                "  password: secret",
                "tls:",
                "  cert: " + cert,
                "  key: " + key,
                "gc:",
                "  interval: 30m",
                "  grace: 2d",
                "log:",
                "  format: json", ""));
        BerthConfig c = ConfigLoader.load(Optional.of(file), Map.of(), Map.of());
        assertThat(c.http().listen()).isEqualTo("127.0.0.1:6000");
        assertThat(c.storage().data()).isEqualTo(dir.resolve("d"));
        assertThat(c.metadata().type()).isEqualTo(MetadataType.POSTGRES);
        assertThat(c.metadata().url()).contains("jdbc:postgresql://127.0.0.1:5432/berth");
        assertThat(c.metadata().user()).contains("berth");
        assertThat(c.metadata().password()).contains("secret");
        assertThat(c.metadata().toString()).doesNotContain("secret");
        assertThat(c.http().tls()).hasValueSatisfying(t -> {
            assertThat(t.cert()).isEqualTo(cert);
            assertThat(t.key()).isEqualTo(key);
        });
        assertThat(c.gc().interval()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.gc().grace()).isEqualTo(Duration.ofDays(2));
        assertThat(c.log().format()).isEqualTo(LogFormat.JSON);
    }

    @Test
    void precedenceCliOverEnvOverFile() throws IOException {
        Path file = Files.writeString(dir.resolve("berth.yaml"), "listen: 127.0.0.1:1111\ngc:\n  grace: 1h\n");
        Map<String, String> env = Map.of("BERTH_LISTEN", "127.0.0.1:2222", "BERTH_GC_INTERVAL", "5m",
                "BERTH_LOG_FORMAT", "json");
        BerthConfig fileOnly = ConfigLoader.load(Optional.of(file), Map.of(), Map.of());
        assertThat(fileOnly.http().port()).isEqualTo(1111);
        BerthConfig withEnv = ConfigLoader.load(Optional.of(file), env, Map.of());
        assertThat(withEnv.http().port()).as("env over file").isEqualTo(2222);
        assertThat(withEnv.gc().grace()).as("file kept where env is silent").isEqualTo(Duration.ofHours(1));
        assertThat(withEnv.gc().interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(withEnv.log().format()).isEqualTo(LogFormat.JSON);
        BerthConfig withCli = ConfigLoader.load(Optional.of(file), env, Map.of(HttpConfig.LISTEN.name(), "127.0.0.1:3333"));
        assertThat(withCli.http().port()).as("cli over env").isEqualTo(3333);
    }

    @Test
    void audit_defaultsToDatabaseOnly_fileFromEnvOrYamlKey() {
        assertThat(ConfigLoader.load(Optional.empty(), Map.of(), Map.of()).audit().file()).isEmpty();
        assertThat(ConfigLoader.load(Optional.empty(), Map.of("BERTH_AUDIT_FILE", "/var/log/berth/audit.jsonl"),
                Map.of()).audit().file()).contains(java.nio.file.Path.of("/var/log/berth/audit.jsonl"));
        assertThat(ConfigLoader.load(Optional.empty(), Map.of(), Map.of("audit.file", "a.jsonl")).audit().file())
                .contains(java.nio.file.Path.of("a.jsonl"));
    }

    @Test
    void everyKeyHasAnEnvVariable() {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        BerthConfig.keyList().forEach(k -> env.put(k.name(), k.env()));
        assertThat(env).containsEntry("listen", "BERTH_LISTEN")
                .containsEntry("data", "BERTH_DATA")
                .containsEntry("metadata.type", "BERTH_METADATA_TYPE")
                .containsEntry("metadata.url", "BERTH_METADATA_URL")
                .containsEntry("metadata.user", "BERTH_METADATA_USER")
                .containsEntry("metadata.password", "BERTH_METADATA_PASSWORD")
                .containsEntry("tls.cert", "BERTH_TLS_CERT")
                .containsEntry("tls.key", "BERTH_TLS_KEY")
                .containsEntry("gc.interval", "BERTH_GC_INTERVAL")
                .containsEntry("gc.grace", "BERTH_GC_GRACE")
                .containsEntry("log.format", "BERTH_LOG_FORMAT")
                .containsEntry("account.id", "BERTH_ACCOUNT_ID")
                .containsEntry("region", "BERTH_REGION")
                .containsEntry("auth.insecure-no-auth", "BERTH_INSECURE_NO_AUTH")
                .containsEntry("auth.master-key", "BERTH_MASTER_KEY")
                .containsEntry("auth.root-access-key-id", "BERTH_ROOT_ACCESS_KEY_ID")
                .containsEntry("auth.root-secret-access-key", "BERTH_ROOT_SECRET_ACCESS_KEY")
                .containsEntry("registry.create-on-push", "BERTH_CREATE_ON_PUSH")
                .containsEntry("audit.file", "BERTH_AUDIT_FILE")
                .containsEntry("audit.retention", "BERTH_AUDIT_RETENTION")
                .containsEntry("audit.prune-interval", "BERTH_AUDIT_PRUNE_INTERVAL")
                .containsEntry("events.retention", "BERTH_EVENTS_RETENTION")
                .containsEntry("events.prune-interval", "BERTH_EVENTS_PRUNE_INTERVAL")
                .containsEntry("jobs.threads", "BERTH_JOBS_THREADS")
                .containsEntry("jobs.poll", "BERTH_JOBS_POLL")
                .containsEntry("jobs.lease", "BERTH_JOBS_LEASE")
                .containsEntry("jobs.retry-backoff", "BERTH_JOBS_RETRY_BACKOFF")
                .containsEntry("jobs.retry-backoff-max", "BERTH_JOBS_RETRY_BACKOFF_MAX")
                .containsEntry("lifecycle.interval", "BERTH_LIFECYCLE_INTERVAL")
                .containsEntry("pull-through.refresh-interval", "BERTH_PULL_THROUGH_REFRESH_INTERVAL")
                .containsEntry("testing.allow-backdating", "BERTH_TESTING_ALLOW_BACKDATING")
                .containsEntry("http.idle-timeout", "BERTH_HTTP_IDLE_TIMEOUT")
                .containsEntry("http.min-request-rate", "BERTH_HTTP_MIN_REQUEST_RATE")
                .containsEntry("http.min-request-rate-grace", "BERTH_HTTP_MIN_REQUEST_RATE_GRACE")
                .containsEntry("http.max-active-requests", "BERTH_HTTP_MAX_ACTIVE_REQUESTS")
                .containsEntry("storage.archive-directory", "BERTH_STORAGE_ARCHIVE_DIRECTORY")
                .containsEntry("storage.type", "BERTH_STORAGE_TYPE")
                .containsEntry("storage.redirect", "BERTH_STORAGE_REDIRECT")
                .containsEntry("storage.encrypt-at-rest", "BERTH_STORAGE_ENCRYPT_AT_REST")
                .containsEntry("storage.s3.bucket", "BERTH_STORAGE_S3_BUCKET")
                .containsEntry("storage.s3.prefix", "BERTH_STORAGE_S3_PREFIX")
                .containsEntry("storage.s3.region", "BERTH_STORAGE_S3_REGION")
                .containsEntry("storage.s3.endpoint", "BERTH_STORAGE_S3_ENDPOINT")
                .containsEntry("storage.s3.path-style", "BERTH_STORAGE_S3_PATH_STYLE")
                .containsEntry("storage.s3.timeout", "BERTH_STORAGE_S3_TIMEOUT")
                .containsEntry("scanning.feeds", "BERTH_SCANNING_FEEDS")
                .containsEntry("scanning.feed-interval", "BERTH_SCANNING_FEED_INTERVAL")
                .containsEntry("regions", "BERTH_REGIONS")
                .containsEntry("registry.host-template", "BERTH_REGISTRY_HOST_TEMPLATE")
                .containsEntry("registry.region-hosts", "BERTH_REGISTRY_REGION_HOSTS")
                .containsEntry("replication.peers", "BERTH_REPLICATION_PEERS")
                .containsEntry("management.listen", "BERTH_MANAGEMENT_LISTEN")
                .containsEntry("management.token", "BERTH_MANAGEMENT_TOKEN")
                .containsEntry("throttling.mode", "BERTH_THROTTLING_MODE")
                .containsEntry("throttling.rates", "BERTH_THROTTLING_RATES")
                .containsEntry("webhooks.allow-private", "BERTH_WEBHOOKS_ALLOW_PRIVATE")
                .containsEntry("webhooks.events-file", "BERTH_WEBHOOKS_EVENTS_FILE")
                .containsEntry("tracing.endpoint", "BERTH_TRACING_ENDPOINT")
                .containsEntry("tracing.service-name", "BERTH_TRACING_SERVICE_NAME")
                .containsEntry("tracing.sample-ratio", "BERTH_TRACING_SAMPLE_RATIO")
                .hasSize(63);
    }

    @Test
    void httpLimitsAndAuditRetention_defaults() {
        BerthConfig c = ConfigLoader.load(Optional.empty(), Map.of(), Map.of());
        assertThat(c.http().limits()).as("http.* defaults").isEqualTo(HttpLimits.DEFAULT);
        assertThat(c.http().limits().idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.http().limits().minRequestRate()).as("bytes/s").isEqualTo(4096);
        assertThat(c.http().limits().minRequestRateGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.http().limits().maxActiveRequests()).isEqualTo(128);
        assertThat(c.audit().retention()).as("CloudTrail's 90 days").isEqualTo(Duration.ofDays(90));
        assertThat(c.audit().pruneInterval()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void eventRetention_defaultsToAWeek_andIsReadFromEnv() {
        BerthConfig defaults = ConfigLoader.load(Optional.empty(), Map.of(), Map.of());
        assertThat(defaults.events()).as("events.* with nothing set")
                .isEqualTo(new EventsConfig(Duration.ofDays(7), Duration.ofHours(1)));
        BerthConfig set = ConfigLoader.load(Optional.empty(), Map.of("BERTH_EVENTS_RETENTION", "30d",
                "BERTH_EVENTS_PRUNE_INTERVAL", "0"), Map.of());
        assertThat(set.events()).as("BERTH_EVENTS_RETENTION=30d, BERTH_EVENTS_PRUNE_INTERVAL=0")
                .isEqualTo(new EventsConfig(Duration.ofDays(30), Duration.ZERO));
    }

    @Test
    void httpLimitsAndAuditRetention_fromEnv_andValidated() {
        BerthConfig c = ConfigLoader.load(Optional.empty(), Map.of("BERTH_HTTP_IDLE_TIMEOUT", "5s",
                "BERTH_HTTP_MIN_REQUEST_RATE", "0", "BERTH_HTTP_MAX_ACTIVE_REQUESTS", "10",
                "BERTH_AUDIT_RETENTION", "0"), Map.of());
        assertThat(c.http().limits().idleTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.http().limits().minRequestRate()).as("0 disables the minimum").isZero();
        assertThat(c.http().limits().maxActiveRequests()).isEqualTo(10);
        assertThat(c.audit().retention()).as("0 keeps events forever").isZero();
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("BERTH_HTTP_IDLE_TIMEOUT", "0",
                "BERTH_HTTP_MIN_REQUEST_RATE", "fast", "BERTH_HTTP_MAX_ACTIVE_REQUESTS", "500",
                "BERTH_AUDIT_RETENTION", "-1d"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.idle-timeout must be positive")
                .hasMessageContaining("http.min-request-rate must be a whole number")
                .hasMessageContaining("http.max-active-requests must be at most 168")
                .hasMessageContaining("audit.retention");
    }

    @Test
    void auth_defaults_accountZeroRegionUsEast1AuthOn() {
        BerthConfig c = ConfigLoader.load(Optional.empty(), Map.of(), Map.of());
        assertThat(c.auth().accountId().value()).as("default account ID").isEqualTo("000000000000");
        assertThat(c.auth().region()).as("default region").isEqualTo("us-east-1");
        assertThat(c.auth().insecureNoAuth()).as("authentication is on by default").isFalse();
        assertThat(c.auth().masterKey()).as("master key defaults to the data dir file").isEmpty();
        assertThat(c.auth().rootAccessKeyId()).as("no root key by default").isEmpty();
    }

    @Test
    void regions_listFromFileOrEnvironment_elseTheRegionShorthand(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        assertThat(ConfigLoader.load(Optional.empty(), Map.of("BERTH_REGION", "eu-west-1"), Map.of()).regions()
                .regions().served()).as("region alone").containsExactly("eu-west-1");
        Path file = dir.resolve("berth.yaml");
        java.nio.file.Files.writeString(file, "regions: [eu-west-1, us-east-1]\nregistry:\n  region-hosts: "
                + "\"localhost=us-east-1\"\n");
        RegionsConfig fromFile = ConfigLoader.load(Optional.of(file), Map.of(), Map.of()).regions();
        assertThat(fromFile.regions().served()).as("a YAML list, first the default").containsExactly("eu-west-1",
                "us-east-1");
        assertThat(fromFile.regionHosts()).containsEntry("localhost", "us-east-1");
        assertThat(ConfigLoader.load(Optional.empty(), Map.of("BERTH_REGIONS", "us-west-2, ap-south-1"), Map.of())
                .regions().regions().defaultRegion()).isEqualTo("us-west-2");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("BERTH_REGIONS", "us-east-1,Mars",
                "BERTH_REGISTRY_REGION_HOSTS", "localhost=ap-south-1", "BERTH_REGISTRY_HOST_TEMPLATE", "x.example"),
                Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("regions must list AWS-style regions such as us-east-1, got [Mars]")
                .hasMessageContaining("registry.region-hosts must be host=region pairs")
                .hasMessageContaining("registry.host-template must be a host name with a {region} placeholder");
    }

    @Test
    void auth_fromEnvironment_boundAndSecretsNotPrinted() {
        String master = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        BerthConfig c = ConfigLoader.load(Optional.empty(), Map.of("BERTH_ACCOUNT_ID", "123456789012",
                "BERTH_REGION", "eu-west-1", "BERTH_INSECURE_NO_AUTH", "true", "BERTH_MASTER_KEY", master,
                "BERTH_ROOT_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE",
                "BERTH_ROOT_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), Map.of());
        assertThat(c.auth().accountId().value()).as("BERTH_ACCOUNT_ID").isEqualTo("123456789012");
        assertThat(c.auth().region()).as("BERTH_REGION").isEqualTo("eu-west-1");
        assertThat(c.auth().insecureNoAuth()).as("BERTH_INSECURE_NO_AUTH").isTrue();
        assertThat(c.auth().masterKey()).as("BERTH_MASTER_KEY").contains(master);
        assertThat(c.auth().rootAccessKeyId()).as("BERTH_ROOT_ACCESS_KEY_ID").contains("AKIAIOSFODNN7EXAMPLE");
        assertThat(c.auth().toString()).as("AuthConfig.toString").doesNotContain("EXAMPLEKEY").doesNotContain(master);
    }

    @Test
    void auth_invalidValues_everyProblemListed() {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("BERTH_ACCOUNT_ID", "12345",
                "BERTH_REGION", "moon", "BERTH_MASTER_KEY", "c2hvcnQ=", "BERTH_ROOT_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
                Map.of())).as("bad account, region, master key, key without secret")
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("account.id must be 12 digits")
                .hasMessageContaining("region must be")
                .hasMessageContaining("BERTH_MASTER_KEY")
                .hasMessageContaining("must be given together");
    }

    @Test
    void validatorListsEveryProblem() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yaml"), "listen: nowhere\nbogus: 1\n");
        Map<String, String> env = Map.of("BERTH_METADATA_TYPE", "mysql", "BERTH_GC_GRACE", "soon",
                "BERTH_LOG_FORMAT", "xml", "BERTH_TLS_CERT", "/nonexistent.pem");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), env, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .as("all problems reported at once: %s", e.problems()).hasSize(6)
                        .anySatisfy(p -> assertThat(p).contains("bogus"))
                        .anySatisfy(p -> assertThat(p).contains("listen"))
                        .anySatisfy(p -> assertThat(p).contains("metadata.type"))
                        .anySatisfy(p -> assertThat(p).contains("gc.grace"))
                        .anySatisfy(p -> assertThat(p).contains("log.format"))
                        .anySatisfy(p -> assertThat(p).contains("tls.cert and tls.key")));
    }

    @Test
    void postgresNeedsUrl() {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("BERTH_METADATA_TYPE", "postgres"),
                Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("metadata.url");
    }

    @Test
    void durations() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("0")).isZero();
        assertThat(Durations.parse("PT2H")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.format(Duration.ofHours(24))).isEqualTo("1d");
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("90m");
    }
}
