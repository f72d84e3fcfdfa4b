package io.assistantstream.platform;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

    /** The groups, as read and checked from one source of values. */
    public record Read(UpstreamSettings upstream, StreamSettings stream, ApiSettings api, ChangeSettings changes,
                DemoSettings demo, RedisSettings redis, AuthSettings auth, QuotaSettings quotas,
                Map<String, String> effective, List<String> problems) {
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
        Reader in = new Reader(source);
        Optional<String> apolloUrl = in.text("apollo.url", false).map(Settings::withoutTrailingSlash);
        apolloUrl.filter(url -> !isHttpUrl(url)).ifPresent(url -> in.problems.add("apollo.url=" + url
                + ": must be an http:// or https:// address with a host, e.g. http://apollo:3000"));
        int maxEventBytes = (int) in.number("apollo.max-event-bytes", 1 << 20, 1024, 64 << 20);
        UpstreamSettings upstream = new UpstreamSettings(apolloUrl, in.text("apollo.api-key", true),
                in.seconds("apollo.connect-timeout-seconds", 10, 1, 300),
                in.seconds("apollo.idle-timeout-seconds", 120, 1, 3600),
                maxEventBytes,
                in.number("apollo.max-response-bytes", 8 << 20, Math.max(1024, maxEventBytes), 1L << 32),
                in.seconds("apollo.max-duration-seconds", 600, 1, 86_400));
        int replayBufferEvents = (int) in.number("stream.replay-buffer-events", 5000, 1, 1_000_000);
        int maxSubscribers = (int) in.number("stream.max-subscribers", 10_000, 1, 1_000_000);
        StreamSettings stream = new StreamSettings(replayBufferEvents,
                in.seconds("stream.replay-retention-seconds", 600, 1, 604_800),
                in.number("stream.replay-max-events-total", 100_000, replayBufferEvents, 100_000_000),
                (int) in.number("stream.subscriber-queue-events", 1000, 1, 1_000_000),
                (int) in.number("stream.max-subscribers-per-session", 100, 1, maxSubscribers),
                maxSubscribers,
                (int) in.number("stream.sender-threads", 64, 1, 1024),
                in.seconds("stream.heartbeat-seconds", 15, 1, 3600),
                Duration.ofMillis(in.number("stream.websocket-attach-grace-millis", 1000, 0, 60_000)));
        int maxBodyBytes = (int) in.number("api.max-body-bytes", 65536, 1024, 16 << 20);
        ApiSettings api = new ApiSettings(maxBodyBytes,
                (int) in.number("api.max-message-chars", 16000, 1, maxBodyBytes));
        ChangeSettings changes = new ChangeSettings((int) in.number("changes.max-bytes", 262_144, 1024, 64 << 20));
        DemoSettings demo = new DemoSettings(in.flag("demo.upstream.enabled", false),
                in.text("demo.public-url", false).map(Settings::withoutTrailingSlash),
                (int) in.number("demo.pace-percent", 100, 1, 1000));
        String keyPrefix = in.text("redis.key-prefix", false).orElse("assistant-stream");
        in.effective.put("redis.key-prefix", keyPrefix);
        RedisSettings redis = new RedisSettings(redisUrl(in),
                Duration.ofMillis(in.number("redis.timeout-millis", 2000, 50, 60_000)), keyPrefix,
                (int) in.number("redis.pool-size", 32, 1, 1024));
        QuotaSettings quotas = new QuotaSettings((int) in.number("quota.sessions", 30, 1, 1_000_000),
                in.seconds("quota.sessions-window-seconds", 3600, 1, 86_400),
                (int) in.number("quota.questions", 20, 1, 1_000_000),
                in.seconds("quota.questions-window-seconds", 60, 1, 86_400),
                (int) in.number("quota.streaming-answers", 2, 1, 10_000),
                (int) in.number("quota.subscribers", 50, 1, 1_000_000));
        return new Read(upstream, stream, api, changes, demo, redis, auth(in), quotas, in.effective, in.problems);
    }

    private static AuthSettings auth(Reader in) {
        String modeName = in.text("auth.mode", false).orElse("jwt");
        AuthSettings.Mode mode = switch (modeName.toLowerCase(Locale.ROOT)) {
            case "jwt" -> AuthSettings.Mode.JWT;
            case "open" -> AuthSettings.Mode.OPEN;
            default -> {
                in.problems.add("auth.mode=" + modeName + ": must be jwt (callers present a signed JWT) or open "
                        + "(anyone may ask: for a demo)");
                yield AuthSettings.Mode.JWT;
            }
        };
        in.effective.put("auth.mode", mode.name().toLowerCase(Locale.ROOT));
        Optional<String> issuer = in.text("auth.jwt.issuer", false);
        Optional<String> audience = in.text("auth.jwt.audience", false);
        Optional<String> pem = in.text("auth.jwt.public-key", false).map(key -> key.replace("\\n", "\n"));
        Optional<String> jwks = in.text("auth.jwt.jwks-url", false);
        Optional<JWK> key = Optional.empty();
        if (pem.isPresent()) {
            in.effective.put("auth.jwt.public-key", "(set)");
            key = publicKey(pem.get());
            if (key.isEmpty()) {
                in.problems.add("auth.jwt.public-key: must be an RSA or EC public key in PEM "
                        + "(-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----)");
            }
        }
        Optional<URI> jwksUrl = jwks.flatMap(url -> {
            if (isHttpUrl(url)) {
                return Optional.of(URI.create(url));
            }
            in.problems.add("auth.jwt.jwks-url=" + url + ": must be an http:// or https:// address");
            return Optional.empty();
        });
        if (mode == AuthSettings.Mode.JWT && issuer.isPresent()) {
            if (audience.isEmpty()) {
                in.problems.add("auth.jwt.audience: required with auth.jwt.issuer (the aud claim callers' tokens carry)");
            }
            if (pem.isPresent() == jwks.isPresent()) {
                in.problems.add("auth.jwt.public-key or auth.jwt.jwks-url: exactly one is required with "
                        + "auth.jwt.issuer (the key that verifies callers' tokens)");
            }
        }
        return new AuthSettings(mode, issuer, audience, key, jwksUrl,
                in.seconds("auth.jwt.clock-skew-seconds", 30, 0, 600),
                (int) in.number("auth.jwt.max-token-bytes", 8192, 256, 65_536));
    }

    /** An X.509 SubjectPublicKeyInfo in PEM (RSA or EC) as a JWK; empty for anything else, a private key too. */
    public static Optional<JWK> publicKey(String pem) {
        String body = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        if (!pem.contains("-----BEGIN PUBLIC KEY-----")) {
            return Optional.empty();
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        try {
            PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
            return Optional.of(new RSAKey.Builder((RSAPublicKey) key).build());
        } catch (GeneralSecurityException notRsa) {
            try {
                ECPublicKey key = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
                return Optional.of(new ECKey.Builder(Curve.forECParameterSpec(key.getParams()), key).build());
            } catch (GeneralSecurityException | RuntimeException notEc) {
                return Optional.empty();
            }
        }
    }

    /** {@code redis://[:password@]host[:port][/database]}; the password is masked in the log of settings. */
    private static Optional<URI> redisUrl(Reader in) {
        Optional<String> raw = in.text("redis.url", false);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(raw.get());
            if (("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) && uri.getHost() != null) {
                if (uri.getUserInfo() != null) {
                    in.effective.put("redis.url", uri.getScheme() + "://(credentials)@" + uri.getHost()
                            + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + (uri.getPath() == null ? "" : uri.getPath()));
                }
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        in.effective.put("redis.url", "(invalid)");
        in.problems.add("redis.url: must be a redis:// or rediss:// address with a host, e.g. redis://redis:6379");
        return Optional.empty();
    }


    /** Reads keys from a source, remembering what is in effect (secrets masked) and what is wrong. */
    private static final class Reader {
        private final Function<String, Optional<String>> source;
        private final Map<String, String> effective = new LinkedHashMap<>();
        private final List<String> problems = new ArrayList<>();

        Reader(Function<String, Optional<String>> source) {
            this.source = source;
        }

        Optional<String> text(String key, boolean secret) {
            Optional<String> value = source.apply(key).map(String::strip).filter(text -> !text.isEmpty());
            effective.put(key, value.map(text -> secret ? "(set)" : text).orElse("(none)"));
            return value;
        }

        long number(String key, long defaultValue, long min, long max) {
            Optional<String> raw = source.apply(key).map(String::strip);
            long value = defaultValue;
            if (raw.isPresent()) {
                try {
                    value = Long.parseLong(raw.get());
                } catch (NumberFormatException e) {
                    problems.add(key + "=" + raw.get() + ": must be a whole number from " + min + " to " + max);
                    return defaultValue;
                }
            }
            if (value < min || value > max) {
                problems.add(key + "=" + value + ": must be from " + min + " to " + max);
            }
            effective.put(key, Long.toString(value));
            return value;
        }

        Duration seconds(String key, long defaultValue, long min, long max) {
            return Duration.ofSeconds(number(key, defaultValue, min, max));
        }

        boolean flag(String key, boolean defaultValue) {
            Optional<String> raw = source.apply(key).map(String::strip);
            if (raw.isPresent() && !raw.get().equalsIgnoreCase("true") && !raw.get().equalsIgnoreCase("false")) {
                problems.add(key + "=" + raw.get() + ": must be true or false");
                return defaultValue;
            }
            boolean value = raw.map(Boolean::parseBoolean).orElse(defaultValue);
            effective.put(key, Boolean.toString(value));
            return value;
        }
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
