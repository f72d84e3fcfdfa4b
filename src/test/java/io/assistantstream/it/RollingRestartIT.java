package io.assistantstream.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.assistantstream.testing.RedisServer;
import jakarta.websocket.Session;
import jakarta.ws.rs.sse.SseEventSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A deploy as an operator does it: two Payara Micro servers on one PostgreSQL and one Redis behind haproxy, and
 * server A asked to stop (a real SIGTERM) while it reads an answer. A drains: the answer runs to its end and is
 * stored complete; its readiness says 503 and questions sent through the balancer meanwhile land on B; its
 * subscribers are told to reconnect (WebSocket close 1012, SSE an error event with a retry hint), and clients behind
 * the balancer land on B and end with exactly the sequence a client on B saw, no gap, no duplicate.
 */
class RollingRestartIT extends AgainstServer {

    private static final int DELTAS = 300;
    private static RawApollo apollo;
    private static RedisServer redis;
    private static PayaraPair servers;

    @BeforeAll
    static void start() throws Exception {
        apollo = new RawApollo();
        redis = RedisServer.start();
        Map<String, String> environment = new HashMap<>(Map.of("APOLLO_URL", apollo.url(), "REDIS_URL", redis.url(),
                "STREAM_HEARTBEAT_SECONDS", "2", "SERVER_DRAIN_SECONDS", "60"));
        servers = PayaraPair.start("drain", environment);
    }

    @AfterAll
    static void stop() throws Exception {
        servers.close();
        redis.close();
        apollo.close();
    }

    @Override
    String root() {
        return servers.second().root();
    }

    @Test
    void aServerAskedToStopEndsItsAnswerWhileItsClientsMoveToTheOther() throws Exception {
        PayaraProcess first = servers.first();
        PayaraProcess second = servers.second();
        Haproxy balancer = servers.balancer();
        String sessionId = newSession();
        String events = "/api/sessions/" + sessionId + "/events";
        Recorder onSecond = new Recorder("SSE on B");
        Recorder socketOnFirst = new Recorder("WebSocket on A");
        Recorder curlOnFirst = new Recorder("curl on A");
        List<ChaosClients> hoppers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            hoppers.add(new ChaosClients.Sse(balancer.root() + events, 500 + i, "streaming_complete"));
            hoppers.add(new ChaosClients.Jdk(balancer.root().replaceFirst("^http", "ws") + "/ws/sessions/" + sessionId,
                    600 + i, "streaming_complete"));
        }
        ExecutorService threads = Executors.newFixedThreadPool(hoppers.size());
        Thread stopping = new Thread(() -> {
            try {
                first.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (SseEventSource sse = Clients.sse(second.root() + events + "?last_event_id=0", onSecond);
             Session socket = Clients.isolatedWebSocket(first.root().replaceFirst("^http", "ws") + "/ws/sessions/"
                     + sessionId + "?last_event_id=0", socketOnFirst);
             CurlSse curl = new CurlSse(first.root() + events + "?last_event_id=0", curlOnFirst)) {
            String answerId = askFlood(first.api(), sessionId);
            onSecond.await(e -> e.name().equals("streaming_chunk"), 30_000);
            hoppers.forEach(threads::execute);
            await().atMost(Duration.ofSeconds(30)).until(() -> onSecond.events().size() > 60);
            long signalled = System.nanoTime();
            stopping.start();

            // While A drains it is not ready (Payara answers 503 for the stopping application itself), and a
            // question sent through the balancer meanwhile is answered by B: never an error page.
            await().atMost(Duration.ofSeconds(10)).until(() -> status(first.api() + "/health/ready") == 503);
            for (int i = 0; i < 4; i++) {
                Clients.Answer taken = Clients.post(balancer.root() + "/api/sessions/" + newSession() + "/messages",
                        "{\"content\":\"flood:3:10\"}");
                assertEquals(202, taken.status(), "a question during the drain lands on B: " + taken.body());
            }
            Received closed = socketOnFirst.await(e -> e.name().equals("ws_closed"), 10_000);
            assertEquals(1012, closed.data().path("code").asInt(), "WebSocket on A: service restart, " + closed);
            Received farewell = curlOnFirst.await(e -> e.name().equals("error"), 10_000);
            assertEquals("server_stopping", farewell.data().path("code").asText(), farewell.toString());

            Received end = onSecond.await(e -> e.endsAnswer(answerId), 90_000);
            assertEquals("streaming_complete", end.name(), "the answer A read ran to its end: " + end);
            stopping.join(90_000);
            System.out.printf("Drain: A stopped %d ms after SIGTERM, its answer complete%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled));
            threads.shutdown();
            assertTrue(threads.awaitTermination(60, TimeUnit.SECONDS), "every client behind the balancer ended");
            List<String> expected = Sequences.of(onSecond.events());
            assertEquals(DELTAS + 2, expected.size(), "message_created, every delta and the end: " + expected.size());
            for (ChaosClients hopper : hoppers) {
                assertNull(hopper.failure, hopper.label + " failed: " + hopper.failure);
                Sequences.assertSame(expected, Sequences.of(hopper.events()), hopper.label + " behind the balancer");
            }
            JsonNode stored = Clients.get(second.api() + "/sessions/" + sessionId).body().path("messages").get(1);
            assertEquals("complete", stored.path("status").asText(), stored.toString());
        } finally {
            threads.shutdownNow();
            if (!stopping.isAlive()) {
                first.start();
            }
        }
    }

    private static String askFlood(String api, String sessionId) throws Exception {
        Clients.Answer posted = Clients.post(api + "/sessions/" + sessionId + "/messages",
                "{\"content\":\"flood:" + DELTAS + ":20:30\"}");
        assertEquals(202, posted.status(), posted.body().toString());
        return posted.body().path("assistant_message_id").asText();
    }

    private static int status(String url) {
        try {
            return Clients.get(url).status();
        } catch (Exception e) {
            return -1;
        }
    }
}
