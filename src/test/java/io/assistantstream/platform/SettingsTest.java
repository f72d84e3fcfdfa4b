package io.assistantstream.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    void withoutARedisTheLogStaysInMemoryAndARedisPasswordIsMasked() {
        assertTrue(!read(Map.of()).redis().enabled(), "no redis.url: one server, in memory");
        Settings.Read read = read(Map.of("redis.url", "redis://:s3cret@redis:6380/2"));
        assertEquals(List.of(), read.problems());
        assertEquals("redis", read.redis().url().orElseThrow().getHost());
        assertEquals("redis://(credentials)@redis:6380/2", read.effective().get("redis.url"));
        assertTrue(!read.effective().toString().contains("s3cret"));
        assertEquals(Duration.ofMillis(2000), read.redis().timeout());
    }

    @Test
    void aRedisAddressThatIsNotRedisIsRefusedWithoutEchoingIt() {
        Settings.Read read = read(Map.of("redis.url", "http://:pw@redis:6379"));
        assertEquals(List.of("redis.url: must be a redis:// or rediss:// address with a host, e.g. redis://redis:6379"),
                read.problems());
        assertTrue(!read.effective().toString().contains("pw@"), "a password in a bad address is not logged");
    }
}
