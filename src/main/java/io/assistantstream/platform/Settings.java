package io.assistantstream.platform;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Every tunable of the relay, read once through MicroProfile Config (a system property {@code -Dapollo.url=...}
 * or an environment variable {@code APOLLO_URL} sets it), each key with its default and accepted range written
 * here and nowhere else, checked when the application starts, and handed out as one record per group. An
 * impossible value fails the deployment with a line naming the key, the value and what is accepted.
 */
@ApplicationScoped
public class Settings {

    private static final Logger LOG = Logger.getLogger(Settings.class.getName());

    @Inject
    Config config;

    private Read read;

    @Produces
    UpstreamSettings upstream;

    @Produces
    StreamSettings stream;

    @Produces
    ApiSettings api;

    @Produces
    ChangeSettings changes;

    @Produces
    DemoSettings demo;

    @Produces
    RedisSettings redis;

    @Produces
    AuthSettings auth;

    @Produces
    QuotaSettings quotas;

    @Produces
    ModelSettings model;

    @Produces
    ServerSettings server;

    /** The groups, as read and checked from one source of values. */
    public record Read(UpstreamSettings upstream, StreamSettings stream, ApiSettings api, ChangeSettings changes,
                DemoSettings demo, RedisSettings redis, AuthSettings auth, QuotaSettings quotas, ModelSettings model,
                ServerSettings server, Map<String, String> effective, List<String> problems) {
    }

    @PostConstruct
    void load() {
        read = read(key -> config.getOptionalValue(key, String.class));
        if (!read.problems().isEmpty()) {
            read.problems().forEach(problem -> LOG.severe("Invalid setting " + problem));
            throw new IllegalStateException("Invalid settings, the application does not start: "
                    + String.join("; ", read.problems()));
        }
        upstream = read.upstream();
        stream = read.stream();
        api = read.api();
        changes = read.changes();
        demo = read.demo();
        redis = read.redis();
        auth = read.auth();
        quotas = read.quotas();
        model = read.model();
        server = read.server();
    }

    /** Reads and checks the settings at deployment (not at the first request), and says what is in effect. */
    void report(@Observes @Initialized(ApplicationScoped.class) Object start) {
        LOG.info("Settings in effect: " + read.effective());
    }

    /**
     * The settings that {@code keyValues} (each {@code key=value}, as in microprofile-config.properties) and the
     * defaults give, bound by name and checked as a deployment checks them: for the relay's parts run outside a
     * container (tests, benchmarks), so they never build a group's record by position.
     *
     * @throws IllegalArgumentException naming every invalid value, as a deployment would refuse them
     */
    public static Read of(String... keyValues) {
        Map<String, String> values = new java.util.HashMap<>();
        for (String keyValue : keyValues) {
            int equals = keyValue.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("Not a key=value setting: " + keyValue);
            }
            values.put(keyValue.substring(0, equals), keyValue.substring(equals + 1));
        }
        Read read = read(key -> Optional.ofNullable(values.get(key)));
        if (!read.problems().isEmpty()) {
            throw new IllegalArgumentException("Invalid settings: " + String.join("; ", read.problems()));
        }
        return read;
    }

    static Read read(Function<String, Optional<String>> source) {
        SettingsReader in = new SettingsReader(source);
        return new Read(UpstreamSettings.read(in), StreamSettings.read(in), ApiSettings.read(in),
                ChangeSettings.read(in), DemoSettings.read(in), RedisSettings.read(in), AuthSettings.read(in),
                QuotaSettings.read(in), ModelSettings.read(in), ServerSettings.read(in), in.effective,
                in.problems);
    }
}
