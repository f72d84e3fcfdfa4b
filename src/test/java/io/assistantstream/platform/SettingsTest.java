package io.assistantstream.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.assistantstream.testing.TestIssuer;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static Settings.Read read(Map<String, String> values) {
        return Settings.read(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void nothingSetGivesTheDocumentedDefaults() {
        Settings.Read read = read(Map.of());
        assertEquals(List.of(), read.problems());
        assertEquals(Optional.empty(), read.upstream().apolloUrl());
        assertEquals(Duration.ofSeconds(120), read.upstream().idleTimeout());
        assertEquals(5000, read.stream().replayBufferEvents());
        assertEquals(Duration.ofSeconds(15), read.stream().heartbeatInterval());
        assertEquals(Duration.ofSeconds(10), read.stream().stallTimeout());
        assertEquals(65536, read.api().maxBodyBytes());
        assertEquals(262_144, read.changes().maxChangeBytes());
        assertEquals(false, read.demo().demoUpstreamEnabled());
    }

    @Test
    void anEmptyReplayBufferIsNamedWithItsValueAndRange() {
        assertEquals(List.of("stream.replay-buffer-events=0: must be from 1 to 1000000"),
                read(Map.of("stream.replay-buffer-events", "0")).problems());
    }

    @Test
    void aRetiredKeyIsAProblemThatSaysWhatReplacedIt() {
        List<String> problems = read(Map.of("stream.subscriber-queue-events", "500")).problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("stream.subscriber-queue-events=500: no longer read;"), problems.get(0));
        assertTrue(problems.get(0).contains("stream.stall-seconds"), problems.get(0));
    }

    @Test
    void aWordWhereANumberBelongsIsNamed() {
        assertEquals(List.of("stream.heartbeat-seconds=soon: must be a whole number from 1 to 3600"),
                read(Map.of("stream.heartbeat-seconds", "soon")).problems());
    }

    @Test
    void anAddressThatIsNotHttpIsRefused() {
        assertTrue(read(Map.of("apollo.url", "ftp://apollo")).problems().get(0)
                .startsWith("apollo.url=ftp://apollo: must be an http://"));
    }

    @Test
    void boundsThatContradictEachOtherAreRefused() {
        assertEquals(List.of("stream.max-subscribers-per-session=200: must be from 1 to 50"),
                read(Map.of("stream.max-subscribers", "50", "stream.max-subscribers-per-session", "200")).problems());
    }

    @Test
    void theApiKeyIsMaskedInWhatIsLogged() {
        Settings.Read read = read(Map.of("apollo.api-key", "sk-secret", "apollo.url", "http://apollo:3000/"));
        assertEquals("(set)", read.effective().get("apollo.api-key"));
        assertEquals(Optional.of("http://apollo:3000"), read.upstream().apolloUrl());
        assertTrue(!read.effective().toString().contains("sk-secret"));
    }

    @Test
    void redisSentinelIsNamedByItsSentinelsAndThePrimarysName() {
        Settings.Read read = read(Map.of("redis.url", "redis-sentinel://:s3cret@sentinel-1:26379,sentinel-2/mymaster/2"));
        assertEquals(List.of(), read.problems());
        RedisAddress address = read.redis().url().orElseThrow();
        assertTrue(address.sentinel());
        assertEquals("mymaster", address.primaryName());
        assertEquals(2, address.database());
        assertEquals(List.of("sentinel-1:26379", "sentinel-2:26379"), address.hosts().stream().map(Object::toString).toList());
        assertEquals("redis-sentinel://(credentials)@sentinel-1:26379,sentinel-2:26379/mymaster/2",
                read.effective().get("redis.url"));
        assertTrue(!read.effective().toString().contains("s3cret"));
        assertTrue(read(Map.of("redis.url", "redis-sentinel://sentinel-1:26379")).problems().get(0)
                .contains("primary's name"), "a Sentinel address without the primary's name is refused at start-up");
        assertTrue(read(Map.of("redis.url", "redis://a:1,b:2")).problems().get(0).contains("redis-sentinel"));
    }

    @Test
    void withoutARedisTheLogStaysInMemoryAndARedisPasswordIsMasked() {
        assertTrue(!read(Map.of()).redis().enabled(), "no redis.url: one server, in memory");
        Settings.Read read = read(Map.of("redis.url", "redis://:s3cret@redis:6380/2"));
        assertEquals(List.of(), read.problems());
        assertEquals("redis", read.redis().address().getHost());
        assertEquals("redis://(credentials)@redis:6380/2", read.effective().get("redis.url"));
        assertTrue(!read.effective().toString().contains("s3cret"));
        assertEquals(Duration.ofMillis(2000), read.redis().timeout());
    }

    @Test
    void aRedisAddressThatIsNotRedisIsRefusedWithoutEchoingIt() {
        Settings.Read read = read(Map.of("redis.url", "http://:pw@redis:6379"));
        assertEquals(List.of("redis.url: the scheme must be redis, rediss or redis-sentinel; e.g. redis://redis:6379 "
                + "or redis-sentinel://sentinel-1:26379,sentinel-2:26379/mymaster"), read.problems());
        assertTrue(!read.effective().toString().contains("pw@"), "a password in a bad address is not logged");
    }

    @Test
    void callersAreVerifiedByDefaultAndNothingIsOpenUntilSaidSo() {
        AuthSettings auth = read(Map.of()).auth();
        assertEquals(AuthSettings.Mode.JWT, auth.mode());
        assertTrue(!auth.verifiesCallers(), "no issuer: no caller can be verified, so sessions are refused");
        assertTrue(read(Map.of("auth.mode", "open")).auth().open());
        assertEquals(List.of("auth.mode=anyone: must be jwt (callers present a signed JWT) or open (anyone may ask: "
                + "for a demo)"), read(Map.of("auth.mode", "anyone")).problems());
    }

    @Test
    void anIssuerNeedsAnAudienceAndExactlyOneKey() {
        TestIssuer issuer = new TestIssuer();
        Settings.Read good = read(issuer.settings());
        assertEquals(List.of(), good.problems());
        assertTrue(good.auth().verifiesCallers());
        assertEquals(issuer.publicKey().getModulus(),
                ((com.nimbusds.jose.jwk.RSAKey) good.auth().publicKey().orElseThrow()).getModulus());
        assertEquals("(set)", good.effective().get("auth.jwt.public-key"));
        Map<String, String> escaped = new java.util.HashMap<>(issuer.settings());
        escaped.put("auth.jwt.public-key", issuer.publicKeyPem().replace("\n", "\\n"));
        assertEquals(List.of(), read(escaped).problems(), "an environment variable may carry the PEM's newlines as \\n");

        assertEquals(List.of("auth.jwt.audience: required with auth.jwt.issuer (the aud claim callers' tokens carry)",
                        "auth.jwt.public-key or auth.jwt.jwks-url: exactly one is required with auth.jwt.issuer "
                                + "(the key that verifies callers' tokens)"),
                read(Map.of("auth.jwt.issuer", "https://host/")).problems());
        Map<String, String> both = new java.util.HashMap<>(issuer.settings());
        both.put("auth.jwt.jwks-url", "https://host/.well-known/jwks.json");
        assertEquals(1, read(both).problems().size(), read(both).problems().toString());
        for (String notAKey : List.of("hello", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
                "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----")) {
            Map<String, String> bad = new java.util.HashMap<>(issuer.settings());
            bad.put("auth.jwt.public-key", notAKey);
            assertEquals(List.of("auth.jwt.public-key: must be an RSA or EC public key in PEM "
                    + "(-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----)"), read(bad).problems(), notAKey);
            assertTrue(!read(bad).effective().toString().contains(notAKey), "a key is never logged");
        }
    }

    @Test
    void quotasHaveDefaultsAndBounds() {
        QuotaSettings quotas = read(Map.of()).quotas();
        assertEquals(new QuotaSettings(30, Duration.ofHours(1), 20, Duration.ofMinutes(1), 2, 50), quotas);
        assertEquals(List.of("quota.questions=0: must be from 1 to 1000000"),
                read(Map.of("quota.questions", "0")).problems());
    }

    @Test
    void aGroupIsBoundByItsComponentsNamesAndAMisnamedOneFailsAtOnce() {
        assertEquals(new ApiSettings(2048, 100),
                SettingsReader.bind(ApiSettings.class, Map.of("maxMessageChars", 100, "maxBodyBytes", 2048)));
        IllegalStateException misnamed = assertThrows(IllegalStateException.class,
                () -> SettingsReader.bind(ApiSettings.class, Map.of("maxBodyBytes", 2048, "maxChars", 100)));
        assertTrue(misnamed.getMessage().contains("[maxBodyBytes, maxMessageChars]"), misnamed.getMessage());
        assertThrows(IllegalStateException.class, () -> SettingsReader.bind(ApiSettings.class,
                Map.of("maxBodyBytes", 2048L, "maxMessageChars", 100)), "a value of another type");
    }
}
