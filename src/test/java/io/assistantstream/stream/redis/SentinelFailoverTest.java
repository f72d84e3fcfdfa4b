package io.assistantstream.stream.redis;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.assistantstream.stream.control.ReadingSubscriber;
import io.assistantstream.testing.RedisSentinels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The event log on Redis Sentinel ({@code redis.url=redis-sentinel://…}), its primary killed: the log follows the
 * primary the sentinels promote, ids keep growing, its watchers are told to resume, and a subscriber afterwards
 * gets live events again. Redis's own processes, failing over as in production (quorum 2, down after 1 s).
 */
class SentinelFailoverTest extends RedisNodes {

    @Test
    void theLogFollowsAPrimaryThatMovesAndItsIdsKeepGrowing() throws Exception {
        try (RedisSentinels sentinels = RedisSentinels.start()) {
            RedisEventLog log = node(5000, sentinels.url());
            ReadingSubscriber watcher = new ReadingSubscriber();
            log.attach("f", watcher, OptionalLong.empty());
            List<Long> before = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                before.add(log.publish(chunk("f", "before " + i)).id());
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> watcher.ids().containsAll(before));
            int oldPrimary = sentinels.primaryPort();

            sentinels.killPrimary();
            long failedOver = System.nanoTime();
            long[] first = new long[1];
            Awaitility.await("publishing works again after the failover").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> (first[0] = log.publish(chunk("f", "after")).id()) > 0);
            System.out.printf("Sentinel failover: publishing again %d ms after the primary was killed%n",
                    (System.nanoTime() - failedOver) / 1_000_000);

            assertNotEquals(oldPrimary, sentinels.namedPrimaryPort(), "the sentinels promoted the replica");
            assertTrue(first[0] > before.get(before.size() - 1), "ids keep growing: " + first[0] + " after " + before);
            assertTrue(watcher.interruptions.get() > 0, "the watcher was told to resume when the primary went away");
            Awaitility.await("the live feed follows the new primary").atMost(Duration.ofSeconds(15)).until(() -> log.health().up());
            ReadingSubscriber later = new ReadingSubscriber();
            log.attach("f", later, OptionalLong.of(first[0]));
            List<Long> after = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                after.add(log.publish(chunk("f", "later " + i)).id());
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> later.ids().containsAll(after));
        }
    }
}
