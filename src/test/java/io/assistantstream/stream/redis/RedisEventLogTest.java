package io.assistantstream.stream.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.assistantstream.platform.Settings;
import io.assistantstream.platform.RedisPools;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.assistantstream.stream.control.EventIdReservations;
import io.assistantstream.stream.control.EventLog;
import io.assistantstream.stream.control.EventLogUnavailable;
import io.assistantstream.stream.control.ReadingSubscriber;
import io.assistantstream.stream.entity.ClientEvent;
import io.assistantstream.stream.entity.SequencedEvent;
import io.assistantstream.testing.RedisServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

/**
 * The shared event log on a real Redis, as two servers of a cluster use it: two logs in one JVM, each with its
 * own connections, publishing to and watching the same sessions.
 */
class RedisEventLogTest extends RedisNodes {

    static void assertStrictlyIncreasing(List<Long> ids) {
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(ids.get(i) > ids.get(i - 1), "id " + ids.get(i) + " after " + ids.get(i - 1));
        }
    }

    @Test
    void eventsPublishedOnTwoNodesReachTheSubscribersOfBothInOneOrder() throws Exception {
        RedisEventLog a = node(5000);
        RedisEventLog b = node(5000);
        Recording onA = new Recording();
        Recording onB = new Recording();
        a.attach("s", onA, OptionalLong.empty());
        b.attach("s", onB, OptionalLong.empty());
        ExecutorService publishers = Executors.newFixedThreadPool(2);
        executors.add(publishers);
        List<Future<List<Long>>> published = new ArrayList<>();
        for (RedisEventLog node : List.of(a, b)) {
            published.add(publishers.submit(() -> {
                List<Long> ids = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    ids.add(node.publish(chunk("s", node.self() + ":" + i)).id());
                }
                return ids;
            }));
        }
        Set<Long> all = new HashSet<>();
        for (Future<List<Long>> ids : published) {
            all.addAll(ids.get());
        }
        assertEquals(1000, all.size(), "every id is taken once, whichever node publishes");
        await(() -> onA.events.size() == 1000 && onB.events.size() == 1000, 10_000, "both subscribers get all 1000");
        assertEquals(onA.ids(), onB.ids(), "in the same order on both nodes");
        assertStrictlyIncreasing(onA.ids());
        assertEquals(all, new HashSet<>(onA.ids()));
    }

    @Test
    void appendedEventsTravelInBatchesAndReachBothNodesInOrderAcrossIdBlocks() throws Exception {
        RedisEventLog a = node(30_000);
        RedisEventLog b = node(30_000);
        Recording onA = watching(a, "batch");
        Recording onB = watching(b, "batch");
        int count = 2 * EventIdReservations.BLOCK + 5_000;
        long callsBefore = publishCalls();
        for (int i = 0; i < count; i++) {
            a.append(chunk("batch", "chunk " + i));
        }
        long last = a.publish(chunk("batch", "the end")).id();
        long calls = publishCalls() - callsBefore;
        await(() -> onA.has(last) && onB.has(last), 20_000, "both subscribers reach the event published last");
        for (Recording recording : List.of(onA, onB)) {
            assertEquals(count + 1, recording.ids().size(), "every event once");
            assertStrictlyIncreasing(recording.ids());
            for (int i = 0; i < count; i += 997) {
                assertTrue(recording.events.get(i).dataJson().contains("\"chunk " + i + "\""), "in the order appended: " + i + " " + recording.events.get(i));
            }
        }
        assertEquals(last, onA.ids().get(count), "the waited-for event comes after everything appended before it");
        assertTrue(calls <= count / 2, calls + " publish calls for " + (count + 1) + " events: they travel together");
    }

    private static Recording watching(RedisEventLog node, String sessionId) {
        Recording recording = new Recording();
        node.attach(sessionId, recording, OptionalLong.empty());
        return recording;
    }

    private static long publishCalls() {
        try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            String stats = jedis.info("commandstats");
            Matcher calls = Pattern.compile("cmdstat_evalsha:calls=(\\d+)").matcher(stats);
            return calls.find() ? Long.parseLong(calls.group(1)) : 0;
        }
    }

    @Test
    void aResumeOnAnotherNodeGetsEverythingAfterItsIdOnceWhilePublishingGoesOn() throws Exception {
        RedisEventLog a = node(5000);
        RedisEventLog b = node(5000);
        for (int round = 0; round < 30; round++) {
            String session = "resume-" + round;
            List<Long> ids = new CopyOnWriteArrayList<>();
            int resumeAt = 20 + ThreadLocalRandom.current().nextInt(150);
            Recording resumed = new Recording();
            Thread publisher = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    ids.add(a.publish(chunk(session, "chunk " + i)).id());
                }
            });
            publisher.start();
            await(() -> ids.size() >= resumeAt, 10_000, "the publisher reaches the resume point");
            long lastSeen = ids.get(resumeAt / 2);
            b.attach(session, resumed, OptionalLong.of(lastSeen));
            publisher.join();
            long last = ids.get(ids.size() - 1);
            await(() -> resumed.has(last), 10_000, "the resumed subscriber reaches the last event");
            assertEquals(ids.stream().filter(id -> id > lastSeen).toList(), resumed.ids(),
                    "round " + round + ": after " + lastSeen + ", no gap and no duplicate at the seam");
            assertTrue(resumed.events.stream().noneMatch(SequencedEvent::isNotice), "nothing was truncated");
            b.detach(session, resumed);
        }
    }

    @Test
    void aResumeFromBeforeTheNodesWindowIsFilledBackFromRedisWhileTheWatchersThereGoOn() throws Exception {
        RedisEventLog a = node(5000);
        RedisEventLog b = node(5000);
        List<Long> ids = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add(a.publish(chunk("w", "before " + i)).id());
        }
        Recording watcher = new Recording();
        b.attach("w", watcher, OptionalLong.empty());
        Thread publisher = new Thread(() -> {
            for (int i = 0; i < 300; i++) {
                ids.add(a.publish(chunk("w", "during " + i)).id());
            }
        });
        publisher.start();
        Recording resumed = new Recording();
        b.attach("w", resumed, OptionalLong.of(ids.get(9)));
        publisher.join();
        long last = ids.get(ids.size() - 1);
        await(() -> resumed.has(last) && watcher.has(last), 10_000, "both reach the last event");
        assertEquals(ids.subList(10, ids.size()), resumed.ids(), "everything after its id, once, in order");
        assertEquals(ids.subList(50, ids.size()), watcher.ids(), "the watcher from the start got every live event");
    }

    @Test
    void aResumeOlderThanTheRetainedHistoryIsToldSoAndGetsWhatIsRetained() {
        RedisEventLog a = node(10);
        RedisEventLog b = node(10);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(a.publish(chunk("t", "chunk " + i)).id());
        }
        Recording tooOld = new Recording();
        b.attach("t", tooOld, OptionalLong.of(ids.get(4)));
        assertEquals("replay_truncated", tooOld.events.get(0).name());
        assertTrue(tooOld.events.get(0).dataJson().contains("\"oldest_retained\":" + ids.get(20)), tooOld.events.get(0).dataJson());
        assertEquals(ids.subList(20, 30), tooOld.ids());

        Recording justInTime = new Recording();
        b.attach("t", justInTime, OptionalLong.of(ids.get(19)));
        assertEquals(ids.subList(20, 30), justInTime.ids());
        assertTrue(justInTime.events.stream().noneMatch(SequencedEvent::isNotice), "the oldest retained follows it");

        Recording fromTheFuture = new Recording();
        b.attach("t", fromTheFuture, OptionalLong.of(ids.get(29) + 5));
        assertEquals("replay_truncated", fromTheFuture.events.get(0).name(), "an id this session never had");
    }

    @Test
    void anotherNodeReadsWhatARetainedHistoryHoldsAfterAnIdAndNothingWhenItNoLongerReachesBack() {
        RedisEventLog a = node(10);
        RedisEventLog b = node(10);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(a.publish(chunk("r", "chunk " + i)).id());
        }
        assertEquals(ids.subList(20, 30), b.retainedAfter("r", ids.get(19)).orElseThrow().stream()
                .map(SequencedEvent::id).toList(), "the whole rest, from the node that did not publish it");
        assertTrue(b.retainedAfter("r", ids.get(19)).orElseThrow().get(0).dataJson().contains("chunk 20"));
        assertTrue(b.retainedAfter("r", ids.get(4)).isEmpty(), "events after it were dropped: it cannot say");
    }

    @Test
    void idsKeepGrowingWhenRedisLosesItsDataAndOlderResumesAreTruncated() throws Exception {
        RedisEventLog a = node(100);
        long before = 0;
        for (int i = 0; i < 5; i++) {
            before = a.publish(chunk("u", "before " + i)).id();
        }
        redis.kill();
        redis.startAgain();
        await(() -> a.health().up(), 15_000, "the node reconnects to the empty Redis");
        long after = a.publish(chunk("u", "after")).id();
        assertTrue(after > before, "id " + after + " after " + before + ": a new block from the database");
        Recording resumed = new Recording();
        a.attach("u", resumed, OptionalLong.of(before));
        assertEquals("replay_truncated", resumed.events.get(0).name(), "the events around the loss are gone");
    }

    @Test
    void aPromotedReplicaThatLacksTheLastEventsNeverGivesTheirIdsToOthers() {
        RedisEventLog a = node(100);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(a.publish(chunk("p", "before " + i)).id());
        }
        long seen = ids.get(9);
        // What a replica promoted a moment too early holds: the history without its last three events.
        try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            String keys = prefix + ":{p}:";
            jedis.hset(keys + "meta", "last", Long.toString(ids.get(6)));
            for (long id : ids.subList(7, 10)) {
                jedis.xdel(keys + "events", new StreamEntryID(id, 0));
            }
        }
        long next = a.publish(chunk("p", "after the failover")).id();
        assertTrue(next > seen, "id " + next + " after the " + seen + " clients saw: never one of the lost ids");
        RedisEventLog b = node(100);
        Recording resumed = new Recording();
        b.attach("p", resumed, OptionalLong.of(seen));
        List<String> names = resumed.events.stream().map(SequencedEvent::name).toList();
        assertEquals("replay_truncated", names.get(0), "the client that saw the lost events reloads: " + names);
        assertEquals(next, resumed.ids().get(resumed.ids().size() - 1), "and then reads on: " + resumed.ids());
        Recording fromBefore = new Recording();
        b.attach("p", fromBefore, OptionalLong.of(ids.get(6)));
        assertEquals("replay_truncated", fromBefore.events.get(0).name(), "so does one from before the hole");
    }

    @Test
    void whenRedisGoesAwaySubscribersAreToldAnswersGoOnAndTheHistoryIsMarkedWhenItIsBack() throws Exception {
        RedisEventLog a = node(100);
        RedisEventLog b = node(100);
        Recording watcher = new Recording();
        b.attach("v", watcher, OptionalLong.of(EventLog.BEFORE_FIRST));
        a.publish(chunk("v", "before the outage"));
        await(() -> watcher.events.size() == 1, 5000, "the first event arrives");

        redis.kill();
        await(() -> watcher.interruptions.get() == 1, 10_000, "the subscriber is told its feed broke");
        a.append(chunk("v", "appended during the outage"));
        SequencedEvent lost = a.publish(chunk("v", "during the outage"));
        assertEquals(0, lost.id(), "not published, and no exception for the answer being read");
        assertThrows(EventLogUnavailable.class, () -> b.attach("v", new Recording(), OptionalLong.of(1)));
        assertFalse(b.health().up());

        redis.startAgain();
        Recording back = new Recording();
        await(() -> {
            try {
                b.attach("v", back, OptionalLong.of(EventLog.BEFORE_FIRST));
                return true;
            } catch (EventLogUnavailable stillDown) {
                return false;
            }
        }, 15_000, "subscribing works again");
        await(() -> back.events.stream().anyMatch(e -> !e.isNotice() && e.name().equals("replay_truncated")), 10_000,
                "the torn session's history gets a sequenced replay_truncated, so every client reloads");
    }

    @Test
    void signalsAndSignsOfLifeReachEveryNode() {
        RedisEventLog a = node(100);
        RedisEventLog b = node(100);
        List<String> received = new CopyOnWriteArrayList<>();
        b.onSignal((session, signal) -> received.add(session + " " + signal));
        a.send("w", "cancel m1");
        await(() -> received.contains("w cancel m1"), 5000, "the signal reaches the other node");
        await(() -> a.isAlive(b.self()), 5000, "each node sees the other alive");
        assertFalse(a.isAlive(UUID.randomUUID().toString()), "a node that never ran is not alive");
    }

    @Test
    void aServerStartedWhileRedisIsDownServesOnceRedisIsUp() throws Exception {
        redis.kill();
        RedisEventLog early;
        try {
            early = startedNode(100);
            assertFalse(early.health().up(), "health says Redis is away");
            assertEquals(0, early.publish(chunk("x", "nobody can see this")).id());
            assertThrows(EventLogUnavailable.class, () -> early.attach("x", new Recording(), OptionalLong.of(0)));
        } finally {
            redis.startAgain();
        }
        await(() -> early.health().up(), 15_000, "the live feed connects once Redis is up");
        Recording watcher = new Recording();
        early.attach("y", watcher, OptionalLong.of(EventLog.BEFORE_FIRST));
        long id = early.publish(chunk("y", "now")).id();
        await(() -> watcher.has(id), 5000, "events flow");
    }
}
