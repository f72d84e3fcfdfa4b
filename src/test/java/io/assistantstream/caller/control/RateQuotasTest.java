package io.assistantstream.caller.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.assistantstream.platform.Settings;
import io.assistantstream.caller.entity.Quota;
import io.assistantstream.platform.ProblemException;
import io.assistantstream.platform.QuotaSettings;
import io.assistantstream.platform.RedisPools;
import io.assistantstream.platform.RedisSettings;
import io.assistantstream.testing.RedisServer;
import java.net.URI;
import java.time.Duration;
import io.github.bucket4j.TimeMeter;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateQuotasTest {

    private static final QuotaSettings TWO_PER_SECOND = Settings.of("quota.sessions=2",
            "quota.sessions-window-seconds=1", "quota.questions=3", "quota.questions-window-seconds=60",
            "quota.streaming-answers=1", "quota.subscribers=1").quotas();

    private static RateQuotas quotas(Optional<URI> redis) {
        RedisSettings settings = Settings.of(redis.map(url -> "redis.url=" + url).orElse("redis.pool-size=4"),
                "redis.key-prefix=quota-test-" + System.nanoTime()).redis();
        return new RateQuotas(TWO_PER_SECOND, settings, new RedisPools(settings));
    }

    /** This server's quotas on a clock the test moves. */
    private static RateQuotas onClock(TestClock clock) {
        RateQuotas quotas = quotas(Optional.empty());
        quotas.clock = clock;
        return quotas;
    }

    @Test
    void aQuotaTripsAtItsBoundAndRecoversAfterItsWindow() {
        TestClock clock = new TestClock();
        RateQuotas quotas = onClock(clock);
        quotas.take(Quota.SESSIONS, "ada");
        quotas.take(Quota.SESSIONS, "ada");
        ProblemException over = assertThrows(ProblemException.class, () -> quotas.take(Quota.SESSIONS, "ada"));
        assertEquals(429, over.status());
        assertEquals("sessions", over.quota());
        assertEquals(1, over.retryAfterSeconds());
        quotas.take(Quota.SESSIONS, "grace");
        quotas.take(Quota.QUESTIONS, "ada");
        clock.nanos += Duration.ofMillis(1000).toNanos();
        quotas.take(Quota.SESSIONS, "ada");
    }

    /** A clock the test moves: a window passes without being slept out. */
    static final class TestClock implements TimeMeter {
        long nanos;

        @Override
        public long currentTimeNanos() {
            return nanos;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    }

    @Test
    void aQuestionsWindowRefillsWholeAtItsEndAndNotBefore() {
        TestClock clock = new TestClock();
        RateQuotas quotas = onClock(clock);
        for (int i = 0; i < 3; i++) {
            quotas.take(Quota.QUESTIONS, "ada");
        }
        ProblemException over = assertThrows(ProblemException.class, () -> quotas.take(Quota.QUESTIONS, "ada"));
        assertEquals("questions", over.quota());
        assertEquals(60, over.retryAfterSeconds(), "the whole window is left");
        clock.nanos += Duration.ofSeconds(59).toNanos();
        assertEquals(1, assertThrows(ProblemException.class, () -> quotas.take(Quota.QUESTIONS, "ada"))
                .retryAfterSeconds(), "a second before the window ends, still spent");
        clock.nanos += Duration.ofSeconds(1).toNanos();
        for (int i = 0; i < 3; i++) {
            quotas.take(Quota.QUESTIONS, "ada");
        }
    }

    @Test
    void onlyTheQuotasCountedPerWindowAreTaken() {
        RateQuotas quotas = quotas(Optional.empty());
        for (Quota held : new Quota[] {Quota.STREAMING_ANSWERS, Quota.SUBSCRIBERS}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> quotas.take(held, "ada"));
            assertTrue(refused.getMessage().contains(held.wireName()), refused.getMessage());
        }
    }

    @Test
    void twoServersOnOneRedisSpendOneBudget() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            Optional<URI> url = Optional.of(URI.create(redis.url()));
            RateQuotas first = quotas(url);
            RateQuotas second = new RateQuotas();
            second.settings = first.settings;
            second.redis = first.redis;
            second.pools = new RedisPools(second.redis);
            second.start();
            int taken = 0;
            for (int i = 0; i < 10; i++) {
                try {
                    (i % 2 == 0 ? first : second).take(Quota.QUESTIONS, "ada");
                    taken++;
                } catch (ProblemException over) {
                    assertEquals("questions", over.quota());
                    assertTrue(over.retryAfterSeconds() > 1 && over.retryAfterSeconds() <= 60, over.getMessage());
                }
            }
            assertEquals(3, taken, "three questions per window, on whichever server");
            first.pools.close();
            second.pools.close();
        }
    }

    @Test
    void withoutRedisEachServerCountsOnItsOwnRatherThanRefusingEveryone() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            RateQuotas quotas = quotas(Optional.of(URI.create(redis.url())));
            quotas.take(Quota.SESSIONS, "ada");
            redis.kill();
            quotas.take(Quota.SESSIONS, "ada");
            quotas.take(Quota.SESSIONS, "ada");
            assertThrows(ProblemException.class, () -> quotas.take(Quota.SESSIONS, "ada"));
            quotas.pools.close();
        }
    }
}
