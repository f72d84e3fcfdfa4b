package io.assistantstream.it;

import static org.awaitility.Awaitility.await;
import static io.assistantstream.it.Clients.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.assistantstream.testing.TestIssuer;
import jakarta.websocket.Session;
import jakarta.ws.rs.sse.SseEventSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Who may ask, on a relay that verifies callers' JWTs (a key pair of the test's own) and bounds what each may
 * spend: every bad token is a 401 problem, a caller uses only its own sessions, and each quota trips at its bound
 * (429, Retry-After, the quota named) and recovers after its window.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AuthIT extends AgainstDeployment {

    private static final TestIssuer ISSUER = new TestIssuer();
    private static final int SESSIONS = 3;
    private static final int SESSIONS_WINDOW_SECONDS = 3;
    private static final int QUESTIONS = 3;
    private static final int QUESTIONS_WINDOW_SECONDS = 8;
    static RawApollo apollo;

    @Deployment(testable = false)
    static WebArchive deployment() throws Exception {
        apollo = new RawApollo();
        List<String> settings = new ArrayList<>(List.of("apollo.url=" + apollo.url(), "auth.jwt.max-token-bytes=4096",
                "quota.sessions=" + SESSIONS, "quota.sessions-window-seconds=" + SESSIONS_WINDOW_SECONDS,
                "quota.questions=" + QUESTIONS, "quota.questions-window-seconds=" + QUESTIONS_WINDOW_SECONDS,
                "quota.streaming-answers=1", "quota.subscribers=2"));
        // A properties file takes the PEM's line breaks as \n.
        ISSUER.settings().forEach((key, value) -> settings.add(key + "=" + value.replace("\n", "\\n")));
        return Deployments.war(settings.toArray(String[]::new));
    }

    @AfterAll
    static void stopApollo() throws Exception {
        apollo.close();
    }

    private static Map<String, String> as(String subject) {
        return Map.of("Authorization", "Bearer " + ISSUER.token(subject));
    }

    private static Map<String, String> as(String subject, String sessionToken) {
        Map<String, String> headers = new HashMap<>(as(subject));
        headers.put("X-Session-Token", sessionToken);
        return headers;
    }

    private Clients.Answer create(Map<String, String> headers) throws Exception {
        return Clients.send("POST", api() + "/sessions", "application/json", "{\"kind\":\"workflow\"}", headers);
    }

    private Clients.Answer ask(String sessionId, String token, String subject, String question) throws Exception {
        return Clients.send("POST", api() + "/sessions/" + sessionId + "/messages", "application/json",
                Clients.JSON.createObjectNode().put("content", question).toString(), as(subject, token));
    }

    private void awaitAnswerEnded(String sessionId, String token, String subject) {
        await("the answer ends").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode messages = Clients.send("GET", api() + "/sessions/" + sessionId, null, null, as(subject, token))
                    .body().path("messages");
            return !"streaming".equals(messages.get(messages.size() - 1).path("status").asText());
        });
    }

    @Test
    void everyBadTokenIsRefusedWith401AndAProblemBody() throws Exception {
        for (Map.Entry<String, String> bad : ISSUER.badTokens().entrySet()) {
            Clients.Answer refused = create(Map.of("Authorization", "Bearer " + bad.getValue()));
            assertProblem(refused, 401);
            String detail = refused.body().path("detail").asText();
            assertTrue(detail.startsWith("The caller's token is refused: "), bad.getKey() + ": " + detail);
            assertTrue(!detail.contains(bad.getValue()), bad.getKey() + ": the token is not echoed");
            System.out.println("Bad token, " + bad.getKey() + ": " + refused.status() + " " + detail);
        }
        String expired = ISSUER.badTokens().get("expired");
        Clients.Answer bySseParameter = Clients.send("GET", api() + "/sessions/x/events?authorization=" + expired,
                null, null, Map.of());
        assertProblem(bySseParameter, 401);
        assertTrue(bySseParameter.body().path("detail").asText().contains("expired"), bySseParameter.body().toString());
    }

    @Test
    void withoutACallerNothingIsCreatedOrListed() throws Exception {
        assertProblem(create(Map.of()), 401);
        assertProblem(Clients.send("GET", api() + "/sessions", null, null, Map.of()), 401);
    }

    @Test
    void garbageInTheAuthorizationHeaderIsNeverAServerError() throws Exception {
        Random random = new Random(14);
        for (int i = 0; i < 60; i++) {
            StringBuilder garbage = new StringBuilder(i % 3 == 0 ? "Bearer " : i % 3 == 1 ? "Basic " : "");
            // Up to 6,000 characters: longer headers are the server's to refuse before the relay sees them.
            int length = 1 + random.nextInt(i % 10 == 0 ? 6_000 : 200);
            for (int c = 0; c < length; c++) {
                garbage.append((char) (0x21 + random.nextInt(0x5e)));
            }
            if (i % 4 == 0) {
                garbage.append('.').append(java.util.Base64.getUrlEncoder().encodeToString(new byte[] {(byte) i}))
                        .append('.');
            }
            Clients.Answer answer = create(Map.of("Authorization", garbage.toString()));
            assertTrue(answer.status() == 401 || answer.status() == 400 || answer.status() == 431,
                    "garbage " + i + " got " + answer.status() + " " + answer.body());
        }
    }

    @Test
    void aCallerUsesItsOwnSessionsAndNoOtherCallerMay() throws Exception {
        Clients.Answer created = create(as("ada"));
        assertEquals(201, created.status(), String.valueOf(created.body()));
        String sessionId = created.body().path("id").asText();
        String token = created.body().path("token").asText();
        JsonNode listed = Clients.send("GET", api() + "/sessions", null, null, as("ada")).body();
        assertEquals(sessionId, listed.path("sessions").get(0).path("id").asText(), listed.toString());
        assertTrue(!listed.toString().contains(token), "a list holds no tokens");
        assertEquals(0, Clients.send("GET", api() + "/sessions", null, null, as("grace")).body()
                .path("sessions").size(), "another caller's list holds none of ada's sessions");

        String session = api() + "/sessions/" + sessionId;
        assertEquals(200, Clients.send("GET", session, null, null, as("ada", token)).status());
        assertProblem(Clients.send("GET", session, null, null, Map.of("X-Session-Token", token)), 401);
        assertProblem(Clients.send("GET", session, null, null, as("grace", token)), 403);
        assertProblem(Clients.send("POST", session + "/messages", "application/json", "{\"content\":\"hi\"}",
                as("grace", token)), 403);
        assertProblem(Clients.send("GET", session + "/events", null, null, as("grace", token)), 403);

        Recorder watcher = new Recorder("ada's EventSource");
        Recorder intruder = new Recorder("grace's WebSocket");
        try (SseEventSource sse = Clients.sse(session + "/events?last_event_id=0&authorization=" + ISSUER.token("ada"),
                watcher)) {
            Session socket = Clients.webSocket(socketUrl(sessionId) + "?authorization=" + ISSUER.token("grace"),
                    intruder, null);
            assertEquals(1008, intruder.await(e -> e.name().equals("ws_closed"), 10_000).data().path("code").asInt());
            Clients.Answer asked = ask(sessionId, token, "ada", "flood:2:5:1");
            assertEquals(202, asked.status(), String.valueOf(asked.body()));
            assertNotNull(watcher.await(e -> e.name().equals("streaming_complete"), 30_000));
            socket.close();
        }
    }

    @Test
    void sessionsPerWindowTripAtTheBoundAndRecover() throws Exception {
        for (int i = 0; i < SESSIONS; i++) {
            assertEquals(201, create(as("sessions-spender")).status());
        }
        Clients.Answer over = create(as("sessions-spender"));
        assertProblem(over, 429);
        assertEquals("sessions", over.body().path("quota").asText(), over.body().toString());
        int retryAfter = Integer.parseInt(over.retryAfter());
        assertTrue(retryAfter >= 1 && retryAfter <= SESSIONS_WINDOW_SECONDS, over.retryAfter());
        assertEquals(201, create(as("someone-else")).status(), "the quota is the caller's, not the server's");
        System.out.println("Quota sessions: " + SESSIONS + " created, then 429 Retry-After " + retryAfter + ": "
                + over.body().path("detail").asText());
        Thread.sleep(retryAfter * 1000L + 200);
        assertEquals(201, create(as("sessions-spender")).status(), "after the window");
    }

    @Test
    void questionsPerWindowTripAtTheBoundOverHttpAndWebSocketAndRecover() throws Exception {
        JsonNode created = create(as("asker")).body();
        String sessionId = created.path("id").asText();
        String token = created.path("token").asText();
        for (int i = 0; i < QUESTIONS; i++) {
            assertEquals(202, ask(sessionId, token, "asker", "flood:2:5:1").status());
            awaitAnswerEnded(sessionId, token, "asker");
        }
        Clients.Answer over = ask(sessionId, token, "asker", "flood:2:5:1");
        assertProblem(over, 429);
        assertEquals("questions", over.body().path("quota").asText());
        int retryAfter = Integer.parseInt(over.retryAfter());
        System.out.println("Quota questions: " + QUESTIONS + " asked, then 429 Retry-After " + retryAfter + ": "
                + over.body().path("detail").asText());

        Recorder socket = new Recorder("asker's WebSocket");
        Session ws = Clients.webSocket(socketUrl(sessionId) + "?authorization=" + ISSUER.token("asker"), socket,
                "{\"type\":\"message\",\"content\":\"flood:2:5:1\"}");
        JsonNode refused = socket.await(e -> e.name().equals("error"), 10_000).data();
        assertEquals(429, refused.path("status").asInt(), refused.toString());
        assertEquals("questions", refused.path("quota").asText());
        assertTrue(refused.path("retry_after").asInt() >= 1, refused.toString());
        ws.close();
        // The refill at the window's end is RateQuotasTest's (a clock it moves); the sessions test keeps one
        // end-to-end recovery, so the suite does not sleep out a second window.
        assertTrue(retryAfter >= 1 && retryAfter <= QUESTIONS_WINDOW_SECONDS, over.retryAfter());
    }

    @Test
    void answersStreamingAtOnceAreBoundedAcrossTheCallersSessions() throws Exception {
        JsonNode first = create(as("streamer")).body();
        JsonNode second = create(as("streamer")).body();
        Clients.Answer endless = ask(first.path("id").asText(), first.path("token").asText(), "streamer",
                "flood:100000:20:5");
        assertEquals(202, endless.status());
        Clients.Answer over = ask(second.path("id").asText(), second.path("token").asText(), "streamer", "flood:2:5:1");
        assertProblem(over, 429);
        assertEquals("streaming_answers", over.body().path("quota").asText());
        System.out.println("Quota streaming_answers: 1 streaming, then 429 Retry-After " + over.retryAfter() + ": "
                + over.body().path("detail").asText());
        Clients.Answer cancelled = Clients.send("POST", api() + "/sessions/" + first.path("id").asText()
                + "/messages/" + endless.body().path("assistant_message_id").asText() + "/cancel", null, null,
                as("streamer", first.path("token").asText()));
        assertEquals(202, cancelled.status());
        awaitAnswerEnded(first.path("id").asText(), first.path("token").asText(), "streamer");
        assertEquals(202, ask(second.path("id").asText(), second.path("token").asText(), "streamer", "flood:2:5:1")
                .status(), "once the first answer ended");
    }

    /** curl as the subscribers: a client that, once closed, is gone for good (its slot must come free). */
    @Test
    void subscribersAtOnceAreBoundedPerCaller() throws Exception {
        JsonNode created = create(as("watcher")).body();
        String sessionId = created.path("id").asText();
        String token = created.path("token").asText();
        assertEquals(202, ask(sessionId, token, "watcher", "flood:2:5:1").status());
        awaitAnswerEnded(sessionId, token, "watcher");
        String events = api() + "/sessions/" + sessionId + "/events?last_event_id=0&authorization="
                + ISSUER.token("watcher");
        List<CurlSse> open = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Recorder recorder = new Recorder("curl " + i);
                open.add(new CurlSse(events, recorder));
                recorder.await(e -> e.name().equals("message_created"), 15_000);
            }
            Clients.Answer over = Clients.send("GET", events, null, null, Map.of("X-Session-Token", token));
            assertProblem(over, 429);
            assertEquals("subscribers", over.body().path("quota").asText());
            System.out.println("Quota subscribers: 2 connected, then 429 Retry-After " + over.retryAfter() + ": "
                    + over.body().path("detail").asText());
            open.remove(0).close();
            // The relay learns that curl left when a write to it fails; until then a new subscriber is refused.
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (true) {
                Recorder again = new Recorder("curl after one left");
                CurlSse next = new CurlSse(events, again);
                open.add(next);
                try {
                    again.await(e -> e.name().equals("message_created"), 2_000);
                    break;
                } catch (AssertionError refused) {
                    next.close();
                    open.remove(next);
                    assertTrue(System.nanoTime() < deadline, "a slot frees once a subscriber leaves");
                }
            }
        } finally {
            open.forEach(CurlSse::close);
        }
    }
}
