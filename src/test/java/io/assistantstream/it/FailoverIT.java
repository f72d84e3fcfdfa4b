package io.assistantstream.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.assistantstream.testing.RedisSentinels;
import jakarta.ws.rs.sse.SseEventSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis failing over under a cluster: two Payara Micro servers on one PostgreSQL and on Redis Sentinel (a primary,
 * a replica and three sentinels, Redis's own processes) behind haproxy, and the primary killed while server A reads
 * an answer with a workflow change in it. Clients behind the balancer keep cutting and resuming throughout. The
 * answer completes and is stored, the change is applied once, and every client ends with the answer's end: having
 * read every event once, or told by a {@code replay_truncated} to reload the stored session (events published while
 * no primary took them); never a duplicate. A caller's quota spent before it still counts after it, and a second
 * answer afterwards streams normally.
 */
class FailoverIT extends AgainstServer {

    private static final int DELTAS = 400;
    private static final int SESSIONS_PER_CALLER = 6;
    private static final String CALLER = "127.0.0.10";
    private static RawApollo apollo;
    private static RedisSentinels sentinels;
    private static PayaraPair servers;

    @BeforeAll
    static void start() throws Exception {
        apollo = new RawApollo();
        sentinels = RedisSentinels.start();
        Map<String, String> environment = Map.of("APOLLO_URL", apollo.url(), "REDIS_URL", sentinels.url(),
                "STREAM_HEARTBEAT_SECONDS", "2", "QUOTA_SESSIONS", Integer.toString(SESSIONS_PER_CALLER));
        servers = PayaraPair.start("failover", environment);
    }

    @AfterAll
    static void stop() throws Exception {
        servers.close();
        sentinels.close();
        apollo.close();
    }

    @Override
    String root() {
        return servers.second().root();
    }

    @Test
    void anAnswerOutlivesAFailoverAndEveryClientEndsClean() throws Exception {
        PayaraProcess first = servers.first();
        PayaraProcess second = servers.second();
        Haproxy balancer = servers.balancer();
        String sessionId = newSession();
        List<ChaosClients> hoppers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            hoppers.add(new ChaosClients.Sse(balancer.root() + "/api/sessions/" + sessionId + "/events", 700 + i,
                    "streaming_complete"));
            hoppers.add(new ChaosClients.Jdk(balancer.root().replaceFirst("^http", "ws") + "/ws/sessions/" + sessionId,
                    800 + i, "streaming_complete"));
        }
        ExecutorService threads = Executors.newFixedThreadPool(hoppers.size());
        try {
            for (PayaraProcess server : List.of(first, second)) {
                assertEquals("201", Clients.createSessionFrom(CALLER, server.root()), "a quota spent before the failover");
            }
            hoppers.forEach(threads::execute);
            Clients.Answer posted = Clients.post(first.api() + "/sessions/" + sessionId + "/messages",
                    "{\"content\":\"flood:" + DELTAS + ":20:30:workflow\"}");
            assertEquals(202, posted.status(), posted.body().toString());
            await().atMost(Duration.ofSeconds(30)).until(() -> hoppers.get(0).events().size() > 40);

            int oldPrimary = sentinels.primaryPort();
            sentinels.killPrimary();
            long killed = System.nanoTime();
            for (PayaraProcess server : List.of(first, second)) {
                await(server.root() + " follows the promoted primary").atMost(Duration.ofSeconds(60))
                        .until(() -> "up".equals(Clients.get(server.api() + "/health").body().path("status").asText()));
            }
            long followed = System.nanoTime();
            assertTrue(sentinels.namedPrimaryPort() != oldPrimary, "the sentinels promoted the replica");
            JsonNode stored = await("the answer is stored complete").atMost(Duration.ofSeconds(90))
                    .until(() -> stored(sessionId).path("messages").get(1),
                            message -> "complete".equals(message.path("status").asText()));
            assertEquals("flooded", stored.path("content").asText(), stored.toString());
            assertEquals(1, stored(sessionId).path("applied_changes").size(), "the workflow change applied once");

            threads.shutdown();
            assertTrue(threads.awaitTermination(60, TimeUnit.SECONDS), "every client reached the answer's end");
            int truncated = 0;
            for (ChaosClients hopper : hoppers) {
                assertNull(hopper.failure, hopper.label + " failed: " + hopper.failure);
                truncated += endsClean(hopper) ? 1 : 0;
            }
            System.out.printf("Failover: both servers on the new primary %d ms after the kill; %d of %d clients "
                            + "reloaded after a replay_truncated, the others read every event once%n",
                    TimeUnit.NANOSECONDS.toMillis(followed - killed), truncated, hoppers.size());

            long lastSeen = hoppers.get(0).events().stream().mapToLong(Received::id).max().orElseThrow();
            int createdAfter = Clients.spendSessionQuota(CALLER, first.root(), second.root(), 2 * SESSIONS_PER_CALLER)
                    .created();
            assertEquals(SESSIONS_PER_CALLER - 2, createdAfter, "the quota kept counting across the failover");

            Recorder later = new Recorder("SSE after the failover");
            try (SseEventSource sse = Clients.sse(balancer.root() + "/api/sessions/" + sessionId + "/events?last_event_id="
                    + lastSeen, later)) {
                Clients.Answer again = Clients.post(balancer.root() + "/api/sessions/" + sessionId + "/messages",
                        "{\"content\":\"flood:5:10\"}");
                assertEquals(202, again.status(), again.body().toString());
                String answerId = again.body().path("assistant_message_id").asText();
                Received end = later.await(e -> e.endsAnswer(answerId), 30_000);
                assertEquals("streaming_complete", end.name(), end.toString());
                assertEquals(5, later.events().stream().filter(e -> e.name().equals("streaming_chunk")).count(),
                        "a second answer streams whole: " + Sequences.of(later.events()));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * Checks one client's events: ids only ever growing, and either every delta and the change once, or a
     * {@code replay_truncated} that sends it to the stored session. True when it was told to reload.
     */
    private static boolean endsClean(ChaosClients hopper) {
        List<Received> events = hopper.events();
        List<Long> ids = events.stream().filter(e -> e.id() > 0).map(Received::id).toList();
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(ids.get(i) > ids.get(i - 1), hopper.label + ": id " + ids.get(i) + " after " + ids.get(i - 1));
        }
        assertEquals("streaming_complete", events.get(events.size() - 1).name(), hopper.label);
        if (events.stream().anyMatch(e -> e.name().equals("replay_truncated"))) {
            return true;
        }
        assertEquals(DELTAS, events.stream().filter(e -> e.name().equals("streaming_chunk")).count(),
                hopper.label + " resumed without a truncation, so it read every delta: " + Sequences.of(events));
        assertEquals(1, events.stream().filter(e -> e.name().equals("streaming_changes")).count(), hopper.label);
        return false;
    }

    private static JsonNode stored(String sessionId) throws Exception {
        return Clients.get(servers.second().api() + "/sessions/" + sessionId).body();
    }
}
