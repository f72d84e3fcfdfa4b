package io.assistantstream.stream.redis;

import io.assistantstream.platform.RedisPools;
import io.assistantstream.platform.Settings;
import io.assistantstream.stream.control.EventIdReservations;
import io.assistantstream.stream.control.ReadingSubscriber;
import io.assistantstream.stream.entity.ClientEvent;
import io.assistantstream.stream.entity.SequencedEvent;
import io.assistantstream.testing.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * Servers of a cluster as the event log's tests run them: logs in one JVM, each with its own connections to a real
 * Redis (one started for the class, or any other at a URL: Sentinel), on one database's id blocks.
 */
abstract class RedisNodes {

    static RedisServer redis;

    /** The database's id blocks: each reservation starts after every earlier one, as the session row does. */
    final Map<String, Long> reservedUpTo = new ConcurrentHashMap<>();
    final EventIdReservations reservations = (sessionId, size) -> reservedUpTo.merge(sessionId, (long) size, Long::sum) - size;
    final String prefix = "test-" + UUID.randomUUID();
    final List<RedisEventLog> nodes = new ArrayList<>();
    final List<ExecutorService> executors = new ArrayList<>();
    final List<RedisPools> pools = new ArrayList<>();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @AfterEach
    void stopNodes() {
        nodes.forEach(RedisEventLog::stop);
        executors.forEach(ExecutorService::shutdownNow);
        pools.forEach(RedisPools::close);
    }

    RedisEventLog node(int retained) {
        return node(retained, redis.url());
    }

    /** A node on the Redis at {@code url} (one server, or Sentinel). */
    RedisEventLog node(int retained, String url) {
        RedisEventLog log = startedNode(retained, url);
        await(() -> log.health().up(), 10_000, "the node's live feed connects");
        return log;
    }

    RedisEventLog startedNode(int retained) {
        return startedNode(retained, redis.url());
    }

    RedisEventLog startedNode(int retained, String url) {
        RedisEventLog log = new RedisEventLog();
        log.redis = Settings.of("redis.url=" + url, "redis.timeout-millis=1000", "redis.key-prefix=" + prefix,
                "redis.pool-size=8").redis();
        log.pools = new RedisPools(log.redis);
        pools.add(log.pools);
        log.stream = Settings.of("stream.replay-buffer-events=" + retained,
                "stream.replay-max-events-total=1000000", "stream.max-subscribers=1000", "stream.sender-threads=4").stream();
        log.reservations = reservations;
        log.registry = new SimpleMeterRegistry();
        log.threads = task -> {
            Thread thread = new Thread(task);
            thread.setDaemon(true);
            return thread;
        };
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        executors.add(scheduler);
        log.scheduler = scheduler;
        log.start();
        nodes.add(log);
        return log;
    }

    static final class Recording extends ReadingSubscriber {
        @Override
        public List<Long> ids() {
            return events.stream().filter(e -> !e.isNotice()).map(SequencedEvent::id).toList();
        }
    }

    static ClientEvent chunk(String sessionId, String text) {
        return new ClientEvent.StreamingChunk(sessionId, "m", text);
    }

    static void await(BooleanSupplier condition, long millis, String what) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + millis + " ms: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

}
