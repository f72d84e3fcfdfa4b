package io.assistantstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.websocket.Session;
import jakarta.ws.rs.sse.SseEventSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Faults, limits and malformed requests, against an upstream that breaks HTTP on purpose. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HardeningIT extends AgainstDeployment {

    static RawApollo apollo;

    @Deployment(testable = false)
    static WebArchive deployment() throws IOException {
        apollo = new RawApollo();
        return Deployments.war(
                "apollo.url=" + apollo.url(),
                "apollo.idle-timeout-seconds=2",
                "apollo.max-duration-seconds=4",
                "apollo.max-response-bytes=6000000",
                "stream.max-subscribers-per-session=5",
                "api.max-message-chars=1000");
    }

    @Test
    void eachUpstreamFaultEndsWithItsOwnCodeAndIsStored() throws Exception {
        Map<String, String> faults = new TreeMap<>(Map.of(
                "mute", "upstream_timeout",
                "cut-chunk", "upstream_disconnected",
                "hang-up", "upstream_disconnected",
                "trickle", "upstream_duration_exceeded",
                "flood:7000:1000", "upstream_too_large"));
        for (Map.Entry<String, String> fault : faults.entrySet()) {
            String sessionId = newSession();
            Recorder recorder = new Recorder(fault.getKey());
            SseEventSource source = Clients.sse(api() + "/sessions/" + sessionId + "/events?last_event_id=0", recorder);
            try {
                String answerId = ask(sessionId, fault.getKey());
                Received end = recorder.await(e -> e.endsAnswer(answerId), 30_000);
                assertEquals("streaming_error", end.name(), fault.getKey());
                assertEquals(fault.getValue(), end.data().path("error").path("code").asText(), fault.getKey());
                JsonNode stored = Clients.get(api() + "/sessions/" + sessionId).body().path("messages").get(1);
                assertEquals("error", stored.path("status").asText());
                assertEquals(fault.getValue(), stored.path("error").path("code").asText());
            } finally {
                source.close();
            }
        }
        assertEquals(2, apollo.requests("hang-up"), "a service that hangs up before answering is asked twice, not more");
    }

    @Test
    void aServiceThatHangsUpBeforeAnsweringIsAskedOnceMore() throws Exception {
        String sessionId = newSession();
        Recorder recorder = new Recorder("hang-up-once");
        SseEventSource source = Clients.sse(api() + "/sessions/" + sessionId + "/events?last_event_id=0", recorder);
        try {
            String answerId = ask(sessionId, "hang-up-once");
            Received end = recorder.await(e -> e.endsAnswer(answerId), 30_000);
            assertEquals("streaming_complete", end.name(), String.valueOf(end.data()));
            assertEquals("flooded", end.data().path("message").path("content").asText());
            assertEquals(2, apollo.requests("hang-up-once"));
        } finally {
            source.close();
        }
    }

    String wsUrl(String sessionId) {
        return root().replaceFirst("^http", "ws") + "/ws/sessions/" + sessionId;
    }

    @Test
    void limitsAnswerClearly() throws Exception {
        String sessionId = newSession();
        String messages = api() + "/sessions/" + sessionId + "/messages";
        Clients.Answer tooLong = Clients.post(messages, Clients.JSON.createObjectNode()
                .put("content", "x".repeat(1001)).toString());
        Clients.assertProblem(tooLong, 413);

        List<SseEventSource> subscribers = new ArrayList<>();
        List<Recorder> recorders = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Recorder recorder = new Recorder("sub-" + i);
            recorders.add(recorder);
            subscribers.add(Clients.sse(api() + "/sessions/" + sessionId + "/events", recorder));
        }
        Thread.sleep(500);
        Clients.assertProblem(Clients.get(api() + "/sessions/" + sessionId + "/events"), 429);
        Recorder sixth = new Recorder("ws-sixth");
        Clients.webSocket(wsUrl(sessionId), sixth, null);
        Received refused = sixth.await(e -> e.name().equals("ws_closed"), 10_000);
        assertEquals(1013, refused.data().path("code").asInt());
        subscribers.forEach(SseEventSource::close);

        Recorder big = new Recorder("ws-big-frame");
        Session socket = Clients.webSocket(wsUrl(newSession()), big, null);
        socket.getBasicRemote().sendText("{\"type\":\"message\",\"content\":\"" + "y".repeat(70_000) + "\"}");
        assertEquals(1009, big.await(e -> e.name().equals("ws_closed"), 10_000).data().path("code").asInt());
    }

    @Test
    void malformedRequestsNeverGetA5xx() throws Exception {
        String sessionId = newSession();
        String token = Clients.tokenFor("/sessions/" + sessionId);
        Random random = new Random(20261125);
        String[] paths = {"/sessions", "/sessions/" + sessionId, "/sessions/" + sessionId + "/messages",
                "/sessions/" + sessionId + "/messages/%s/cancel", "/sessions/" + sessionId + "/changes/%s/accept",
                "/sessions/" + sessionId + "/changes/%s/reject", "/sessions/%s", "/sessions/%s/messages",
                "/sessions/" + sessionId + "/events?last_event_id=%s", "/health",
                "/sessions/" + sessionId + "/changes/%s/revert", "/sessions/%s/viewer-token", "/health/ready",
                "/health/live", "/metrics"};
        String[] methods = {"GET", "POST", "PUT", "DELETE", "PATCH"};
        String[] types = {"application/json", "text/plain", "application/xml", "application/json; charset=latin1",
                null, "multipart/form-data"};
        Map<Integer, Integer> statuses = new ConcurrentSkipListMap<>();
        int requests = 3000;
        List<Callable<Void>> fuzz = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            String path = String.format(paths[random.nextInt(paths.length)], weirdId(random));
            String method = methods[random.nextInt(methods.length)];
            String body = method.equals("GET") || method.equals("DELETE") ? null : weirdBody(random);
            String type = types[random.nextInt(types.length)];
            String presented = random.nextInt(10) == 0 ? null : token;
            fuzz.add(() -> {
                Clients.Answer answer;
                try {
                    answer = Clients.send(method, api() + path, type, body, presented);
                } catch (java.io.IOException e) {
                    throw new AssertionError(method + " " + path + " (" + type + ") got no answer: " + e, e);
                }
                statuses.merge(answer.status(), 1, Integer::sum);
                assertTrue(answer.status() < 500, method + " " + path + " " + body + " → " + answer.status() + " " + answer.body());
                if (answer.status() >= 400) {
                    assertEquals("application/problem+json", answer.contentType(),
                            method + " " + path + " → " + answer.status());
                    assertEquals(answer.status(), answer.body().path("status").asInt());
                }
                return null;
            });
        }
        // The same seeded requests, four at a time: as many as a few clients would send, in a third of the time.
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            for (Future<Void> sent : clients.invokeAll(fuzz)) {
                try {
                    sent.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof AssertionError failed ? failed : new AssertionError(e.getCause());
                }
            }
        } finally {
            clients.shutdownNow();
        }
        System.out.println("Fuzz: " + requests + " malformed requests, statuses " + statuses);
    }

    static String weirdId(Random random) {
        String[] ids = {"x", "%2e%2e", "00000000-0000-0000-0000-000000000000", "%3Cscript%3E", "%3C%3E", "9".repeat(300),
                "%F0%9F%98%80", "-1", "1e99", "null"};
        return ids[random.nextInt(ids.length)];
    }

    static String weirdBody(Random random) {
        return switch (random.nextInt(14)) {
            case 0 -> "";
            case 1 -> "{";
            case 2 -> "[]";
            case 3 -> "\"content\"";
            case 4 -> "{\"content\":" + random.nextInt() + "}";
            case 5 -> "{\"content\":null}";
            case 6 -> "{\"content\":\"hi\",\"extra\":true}";
            case 7 -> "{\"kind\":\"workflow\",\"job\":[1,2]}";
            case 8 -> "{\"kind\":{\"a\":1}}";
            case 9 -> "{\"content\":\"" + "z".repeat(random.nextInt(80_000)) + "\"}";
            case 10 -> new String(new byte[] {'{', '"', 'c', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                    StandardCharsets.ISO_8859_1);
            case 11 -> "[".repeat(5000) + "]".repeat(5000);
            case 12 -> "{\"kind\":\"job\",\"job\":{\"name\":\"" + "n".repeat(500) + "\"}}";
            default -> {
                byte[] noise = new byte[random.nextInt(200)];
                random.nextBytes(noise);
                yield new String(noise, StandardCharsets.ISO_8859_1);
            }
        };
    }
}
