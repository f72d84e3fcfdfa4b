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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Two servers, one session: the WAR on WildFly (deployed by Arquillian) and the same WAR on Payara Micro (a
 * process of its own), on one PostgreSQL and one Redis, behind haproxy balancing every request round robin.
 * Subscribers on either server and behind the balancer get every event in one order, clients that reconnect at
 * once land on the other server and miss nothing, a cancel reaches the server reading the answer, and Redis or a
 * server going away mid-answer leaves every client in a clean state.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT extends AgainstDeployment {

    private static final int DELTAS = 1500;
    /** Per caller (in open mode, per client address) and hour: more than the other tests here create. */
    private static final int SESSIONS_PER_CALLER = 8;
    static RawApollo apollo;
    static RedisServer redis;
    static PayaraProcess payara;
    static Haproxy balancer;

    /** A failure says what Payara was doing: its threads and warnings (WildFly's log is in the build output). */
    @RegisterExtension
    static final TestWatcher PAYARA_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (payara != null) {
                System.out.println("ClusterIT." + context.getDisplayName() + " failed: " + cause + "\n"
                        + payara.diagnostics());
            }
        }
    };

    @Deployment(testable = false)
    static WebArchive deployment() throws Exception {
        apollo = new RawApollo();
        redis = RedisServer.start();
        return Deployments.war(settings().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    /** The same settings for both servers (Payara reads them from its environment). */
    private static Map<String, String> settings() {
        return Map.of("apollo.url", apollo.url(), "redis.url", redis.url(), "stream.heartbeat-seconds", "2",
                "stream.replay-buffer-events", Integer.toString(DELTAS + 1000),
                "quota.sessions", Integer.toString(SESSIONS_PER_CALLER),
                // A killed server's answers are closed within 3 s, not the defaults' 15.
                "redis.node-ttl-seconds", "2", "redis.sweep-seconds", "1",
                // A killed server's answer keeps its text up to about its last 0.2 s.
                "stream.partial-save-millis", "200");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (balancer != null) {
            balancer.close();
        }
        if (payara != null) {
            payara.stop();
        }
        redis.close();
        apollo.close();
    }

    /** The Payara node and the balancer, started once WildFly's address is known. */
    private synchronized void cluster() throws Exception {
        if (payara == null) {
            Map<String, String> environment = new java.util.HashMap<>();
            settings().forEach((key, value) -> environment.put(key.toUpperCase().replace('.', '_').replace('-', '_'), value));
            payara = new PayaraProcess("cluster", environment).start();
            balancer = Haproxy.start("cluster", List.of("127.0.0.1:" + base.getPort(), "127.0.0.1:" + payara.port()));
        }
    }

    private static String events(String root, String sessionId) {
        return root + "/api/sessions/" + sessionId + "/events";
    }

    private static String socket(String root, String sessionId) {
        return root.replaceFirst("^http", "ws") + "/ws/sessions/" + sessionId;
    }

    private static String ask(String root, String sessionId, String question) throws Exception {
        Clients.Answer posted = Clients.post(root + "/api/sessions/" + sessionId + "/messages",
                Clients.JSON.createObjectNode().put("content", question).toString());
        assertEquals(202, posted.status(), "the question is taken: " + posted.body());
        return posted.body().path("assistant_message_id").asText();
    }

    private static JsonNode stored(String root, String sessionId) throws Exception {
        return Clients.get(root + "/api/sessions/" + sessionId).body();
    }

    /**
     * curl from an address of its own (127.0.0.9: in open mode a caller is its address) creates sessions on both
     * servers in turn: they spend one budget in Redis, so the quota trips after its bound in all, on both.
     */
    @Test
    @Order(0)
    void bothServersSpendOneQuotaBudgetPerCaller() throws Exception {
        cluster();
        Clients.QuotaSpent spent = Clients.spendSessionQuota("127.0.0.9", root(), payara.root(),
                2 * SESSIONS_PER_CALLER + 2);
        int created = spent.created();
        assertEquals(SESSIONS_PER_CALLER, created, "one budget across the two servers, not one each");
        assertEquals(List.of(root(), payara.root()).stream().sorted().toList(), spent.refusedBy().stream().sorted().toList(),
                "both servers refuse once it is spent");
        System.out.printf("Cluster quota: %d sessions created on two servers, then 429 from both%n", created);
    }

    @Test
    @Order(1)
    void everySubscriberOnEitherServerAndBehindTheBalancerGetsTheWholeAnswerInOneOrder() throws Exception {
        cluster();
        String sessionId = Clients.post(balancer.root() + "/api/sessions", "{\"kind\":\"workflow\"}").body()
                .path("id").asText();
        Recorder onWildFly = new Recorder("SSE on WildFly");
        Recorder onPayara = new Recorder("WebSocket on Payara");
        Recorder viaCurl = new Recorder("curl behind the balancer");
        SseEventSource sse = Clients.sse(events(root(), sessionId) + "?last_event_id=0", onWildFly);
        Session webSocket = Clients.isolatedWebSocket(socket(payara.root(), sessionId) + "?last_event_id=0", onPayara);
        List<ChaosClients> hoppers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            hoppers.add(new ChaosClients.Sse(events(balancer.root(), sessionId), 300 + i, "streaming_complete"));
            hoppers.add(new ChaosClients.Jdk(socket(balancer.root(), sessionId), 400 + i, "streaming_complete"));
        }
        ExecutorService threads = Executors.newFixedThreadPool(hoppers.size());
        try (CurlSse curl = new CurlSse(events(balancer.root(), sessionId) + "?last_event_id=0", viaCurl)) {
            String answerId = ask(balancer.root(), sessionId, "flood:" + DELTAS + ":40:3:workflow");
            hoppers.forEach(threads::execute);
            onWildFly.await(e -> e.endsAnswer(answerId), 120_000);
            onPayara.await(e -> e.endsAnswer(answerId), 30_000);
            viaCurl.await(e -> e.endsAnswer(answerId), 30_000);
            threads.shutdown();
            assertTrue(threads.awaitTermination(120, TimeUnit.SECONDS), "every reconnecting client reached the end");

            List<String> expected = Sequences.of(onWildFly.events());
            assertEquals(DELTAS + 3, expected.size(), "message_created, the change, every delta and the end");
            Sequences.assertSame(expected, Sequences.of(onPayara.events()), "the WebSocket on the other server");
            Sequences.assertSame(expected, Sequences.of(viaCurl.events()), "curl behind the balancer");
            int reconnects = 0;
            for (ChaosClients hopper : hoppers) {
                assertNull(hopper.failure, hopper.label + " failed: " + hopper.failure);
                Sequences.assertSame(expected, Sequences.of(hopper.events()), hopper.label + " (reconnecting through the balancer)");
                reconnects += hopper.disconnects.get();
            }
            System.out.printf("Cluster: %d events on both servers; %d reconnects through the balancer, each to the "
                    + "other server, no gap, no duplicate%n", expected.size(), reconnects);
            assertTrue(reconnects >= 100, "the clients reconnected often: " + reconnects);
            List<JsonNode> changes = onWildFly.events().stream().filter(e -> e.name().equals("streaming_changes"))
                    .map(Received::data).toList();
            assertEquals(List.of("applied"), changes.stream().map(c -> c.path("status").asText()).toList());
            for (String root : List.of(root(), payara.root())) {
                JsonNode session = stored(root, sessionId);
                assertEquals(1, session.path("applied_changes").size(), "applied once, seen alike from " + root);
                assertEquals("complete", session.path("messages").get(1).path("status").asText());
            }
        } finally {
            threads.shutdownNow();
            sse.close();
            webSocket.close();
        }
    }

    private static List<Received> chunksOf(Recorder recorder) {
        return recorder.events().stream().filter(e -> e.name().equals("streaming_chunk")).toList();
    }

    private static String textOf(Recorder recorder) {
        return chunksOf(recorder).stream().map(e -> e.data().path("content").asText()).collect(Collectors.joining());
    }

    interface Ending {
        void end(String answerId, Recorder watcher) throws Exception;
    }

    /** An endless answer read by Payara and watched over SSE on WildFly, ended by {@code ending}: how it ended. */
    private Received endlessAnswerOnPayara(String sessionId, Ending ending) throws Exception {
        Recorder watcher = new Recorder("SSE on WildFly");
        try (SseEventSource sse = Clients.sse(events(root(), sessionId) + "?last_event_id=0", watcher)) {
            String answerId = ask(payara.root(), sessionId, "flood:100000:20:5");
            watcher.await(e -> e.name().equals("streaming_chunk"), 30_000);
            ending.end(answerId, watcher);
            return watcher.await(e -> e.endsAnswer(answerId), 40_000);
        }
    }

    @Test
    @Order(2)
    void aCancelPostedToTheOtherServerReachesTheOneReadingTheAnswer() throws Exception {
        cluster();
        String sessionId = newSession();
        Received end = endlessAnswerOnPayara(sessionId, (answerId, watcher) -> {
            Clients.Answer cancelled = Clients.post(api() + "/sessions/" + sessionId + "/messages/" + answerId
                    + "/cancel", null);
            assertEquals(202, cancelled.status(), String.valueOf(cancelled.body()));
        });
        assertEquals("cancelled", end.data().path("error").path("code").asText(), end.toString());
        assertEquals("cancelled", stored(root(), sessionId).path("messages").get(1).path("status").asText());
        ask(root(), sessionId, "flood:3:10");
    }

    @Test
    @Order(3)
    void whenRedisDiesMidAnswerClientsAreToldTheAnswerIsStoredAndTheyCatchUpWhenItIsBack() throws Exception {
        cluster();
        String sessionId = newSession();
        Recorder sseOnWildFly = new Recorder("SSE on WildFly");
        Recorder socketOnPayara = new Recorder("WebSocket on Payara");
        SseEventSource sse = Clients.sse(events(root(), sessionId) + "?last_event_id=0", sseOnWildFly);
        Session webSocket = Clients.isolatedWebSocket(socket(payara.root(), sessionId) + "?last_event_id=0", socketOnPayara);
        String answerId = ask(payara.root(), sessionId, "flood:400:20:10");
        sseOnWildFly.await(e -> e.name().equals("streaming_chunk"), 30_000);

        redis.kill();
        Received interrupted = sseOnWildFly.await(e -> e.name().equals("error"), 15_000);
        assertEquals("stream_interrupted", interrupted.data().path("code").asText(), interrupted.toString());
        Received closed = socketOnPayara.await(e -> e.name().equals("ws_closed"), 15_000);
        assertEquals(1013, closed.data().path("code").asInt(), "try again later: " + closed);
        JsonNode health = Clients.get(root() + "/api/health").body();
        assertEquals("degraded", health.path("status").asText(), health.toString());
        Clients.Answer notReady = Clients.get(root() + "/api/health/ready");
        assertEquals(503, notReady.status(), "not ready while Redis is away: " + notReady.body());
        assertEquals(200, Clients.get(root() + "/api/health/live").status(), "but alive");
        assertEquals(503, Clients.get(events(root(), sessionId) + "?last_event_id=1").status(),
                "a subscriber is refused with a retryable 503 while Redis is away");

        await("the answer is read to its end and stored although nobody could watch it").atMost(Duration.ofMinutes(1))
                .until(() -> "complete".equals(stored(root(), sessionId).path("messages").get(1).path("status").asText()));
        redis.startAgain();
        for (String root : List.of(root(), payara.root())) {
            await(root + " finds Redis again").atMost(Duration.ofSeconds(30))
                    .until(() -> "up".equals(Clients.get(root + "/api/health").body().path("status").asText()));
            assertEquals(200, Clients.get(root + "/api/health/ready").status(), root + " is ready again");
        }
        long lastSeen = sseOnWildFly.events().stream().mapToLong(Received::id).max().orElseThrow();
        Recorder resumed = new Recorder("SSE resumed on Payara");
        try (SseEventSource again = Clients.sse(events(payara.root(), sessionId) + "?last_event_id=" + lastSeen, resumed)) {
            Received first = resumed.await(e -> true, 30_000);
            assertEquals("replay_truncated", first.name(), "Redis lost the history: the client reloads the session");
        }
        JsonNode answer = stored(payara.root(), sessionId).path("messages").get(1);
        assertEquals("complete", answer.path("status").asText());
        assertEquals("flooded", answer.path("content").asText(), "the answer's final text is stored");
        sse.close();
        webSocket.close();
    }

    @Test
    @Order(4)
    void anAnswerOnAServerThatDiesIsClosedByTheOtherAndTheSessionGoesOn() throws Exception {
        cluster();
        String sessionId = newSession();
        int[] seenASecondBefore = new int[1];
        Recorder[] watched = new Recorder[1];
        Received end = endlessAnswerOnPayara(sessionId, (answerId, watcher) -> {
            // Killed after it streamed a while: what the client had seen a second before is stored by then.
            watched[0] = watcher;
            await().atMost(Duration.ofSeconds(30)).until(() -> chunksOf(watcher).size() >= 200);
            seenASecondBefore[0] = textOf(watcher).length();
            long since = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).until(() -> System.nanoTime() - since >= 1_000_000_000L
                    && chunksOf(watcher).size() >= 400);
            payara.kill();
        });
        assertEquals("server_restarted", end.data().path("error").path("code").asText(), end.toString());
        JsonNode kept = stored(root(), sessionId).path("messages").get(1);
        assertEquals("error", kept.path("status").asText());
        String partial = kept.path("content").asText();
        assertTrue(partial.length() >= seenASecondBefore[0], "the killed server had stored the text up to about "
                + "its last 0.2 s: " + partial.length() + " characters, the client had seen " + seenASecondBefore[0]
                + " a second before the kill");
        String seen = textOf(watched[0]);
        System.out.printf("Killed mid-answer: %d characters stored of %d relayed; %d seen a second before the kill%n",
                partial.length(), seen.length(), seenASecondBefore[0]);
        assertEquals(seen, partial, "on Redis the server that closes the answer restores exactly what was relayed, "
                + "from the session's retained events");
        ask(root(), sessionId, "flood:3:10");
    }
}
