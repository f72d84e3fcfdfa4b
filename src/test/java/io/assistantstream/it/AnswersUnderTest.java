package io.assistantstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.websocket.Session;
import jakarta.ws.rs.sse.SseEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the pipeline tests share: sessions made as a client would, an audience of two SSE and two WebSocket
 * subscribers per answer, a question posted, a contract fixture checked through all four, and what is stored.
 */
abstract class AnswersUnderTest extends AgainstServer {

    static final long ANSWER_TIMEOUT_MILLIS = 30_000;

    String createSession(boolean job, String code) throws Exception {
        String body = job
                ? Clients.JSON.createObjectNode().put("kind", "job").set("job", Clients.JSON.createObjectNode()
                        .put("name", "Fetch patients").put("adaptor", "@openfn/language-http@latest")
                        .put("code", code == null ? "get('/patients');\n" : code)).toString()
                : "{\"kind\":\"workflow\",\"title\":\"Test\",\"workflow_yaml\":\"name: Start\\njobs: {}\\n\"}";
        Clients.Answer created = Clients.post(api() + "/sessions", body);
        assertEquals(201, created.status(), String.valueOf(created.body()));
        assertTrue(created.location().endsWith("/api/sessions/" + created.body().get("id").asText()));
        return created.body().get("id").asText();
    }

    long lastEventId(String sessionId) throws Exception {
        return Clients.get(api() + "/sessions/" + sessionId).body().path("last_event_id").asLong();
    }

    /** Four subscribers, two per transport, each starting right after {@code after} by a different route. */
    final class Audience implements AutoCloseable {
        final List<Recorder> recorders = new ArrayList<>();
        final List<AutoCloseable> connections = new ArrayList<>();

        Audience(String sessionId, long after) throws Exception {
            String events = api() + "/sessions/" + sessionId + "/events?last_event_id=" + after;
            for (String label : List.of("sse-1", "sse-2")) {
                Recorder recorder = new Recorder(label);
                recorders.add(recorder);
                SseEventSource source = Clients.sse(events, recorder);
                connections.add(source::close);
            }
            Recorder byQuery = new Recorder("ws-query");
            recorders.add(byQuery);
            Session one = Clients.webSocket(ws() + "/sessions/" + sessionId + "?last_event_id=" + after, byQuery, null);
            connections.add(one::close);
            Recorder byResume = new Recorder("ws-resume");
            recorders.add(byResume);
            Session two = Clients.webSocket(ws() + "/sessions/" + sessionId, byResume,
                    "{\"type\":\"resume\",\"last_event_id\":" + after + "}");
            connections.add(two::close);
        }

        void awaitEnd(String answerId) throws InterruptedException {
            for (Recorder recorder : recorders) {
                recorder.await(event -> event.endsAnswer(answerId), ANSWER_TIMEOUT_MILLIS);
            }
        }

        @Override
        public void close() throws Exception {
            for (AutoCloseable connection : connections) {
                connection.close();
            }
        }
    }

    record Asked(String questionId, String answerId) {
    }

    Asked askFor(String sessionId, String content) throws Exception {
        Clients.Answer posted = Clients.post(api() + "/sessions/" + sessionId + "/messages",
                Clients.JSON.createObjectNode().put("content", content).toString());
        assertEquals(202, posted.status(), String.valueOf(posted.body()));
        return new Asked(posted.body().get("message_id").asText(), posted.body().get("assistant_message_id").asText());
    }

    JsonNode storedMessage(String sessionId, String messageId) throws Exception {
        for (JsonNode message : Clients.get(api() + "/sessions/" + sessionId).body().path("messages")) {
            if (messageId.equals(message.path("id").asText())) {
                return message;
            }
        }
        throw new AssertionError("message " + messageId + " is not stored");
    }

    void assertStored(String sessionId, Asked asked, List<Received> events) throws Exception {
        JsonNode question = storedMessage(sessionId, asked.questionId());
        assertEquals("user", question.path("role").asText());
        JsonNode answer = storedMessage(sessionId, asked.answerId());
        Received end = events.get(events.size() - 1);
        if (end.name().equals("streaming_complete")) {
            assertEquals("complete", answer.path("status").asText());
            assertEquals(end.data().path("message").path("content"), answer.path("content"));
            assertEquals(end.data().path("message").path("changes"), answer.path("changes"));
        } else {
            assertEquals("error", answer.path("status").asText());
            assertEquals(end.data().path("error").path("code"), answer.path("error").path("code"));
            String streamed = events.stream().filter(e -> e.name().equals("streaming_chunk"))
                    .map(e -> e.data().path("content").asText()).collect(Collectors.joining());
            assertEquals(streamed, answer.path("content").asText(), "the partial text is kept");
        }
    }

    static void assertStrictlyIncreasing(List<Received> events) {
        for (int i = 1; i < events.size(); i++) {
            assertEquals(events.get(i - 1).id() + 1, events.get(i).id(), "ids follow each other: " + events);
        }
    }

    void assertFault(String scenario, String code, String words) throws Exception {
        String sessionId = createSession(false, null);
        try (Audience audience = new Audience(sessionId, lastEventId(sessionId))) {
            Asked asked = askFor(sessionId, scenario);
            audience.awaitEnd(asked.answerId());
            for (Recorder recorder : audience.recorders) {
                List<Received> errors = recorder.answer(asked.questionId(), asked.answerId()).stream()
                        .filter(e -> e.name().equals("streaming_error")).toList();
                assertEquals(1, errors.size(), scenario + " via " + recorder);
                JsonNode error = errors.get(0).data().path("error");
                assertEquals(code, error.path("code").asText(), scenario);
                assertTrue(error.path("message").asText().contains(words), scenario + ": " + error);
            }
            JsonNode stored = storedMessage(sessionId, asked.answerId());
            assertEquals("error", stored.path("status").asText(), scenario);
            assertEquals(code, stored.path("error").path("code").asText(), scenario);
        }
    }

    /** Posts {@code body} as the question; its {@code content} picks what the fake service streams. */
    Asked askWith(String sessionId, JsonNode body) throws Exception {
        Clients.Answer posted = Clients.post(api() + "/sessions/" + sessionId + "/messages", body.toString());
        assertEquals(202, posted.status(), String.valueOf(posted.body()));
        return new Asked(posted.body().get("message_id").asText(), posted.body().get("assistant_message_id").asText());
    }

    /**
     * Runs one fixture through a fresh session (the fixture's own session body, or a workflow or job session),
     * checks its events at all four subscribers and what is stored, and returns the events and the session.
     */
    FixtureRun checkFixture(FixtureExpectation expectation, String wireOptions) throws Exception {
        JsonNode sessionBody = expectation.sessionBody();
        String sessionId = sessionBody == null ? createSession(expectation.isJobChat(), expectation.startCode())
                : createSession(sessionBody);
        try (Audience audience = new Audience(sessionId, lastEventId(sessionId))) {
            Asked asked = askWith(sessionId, expectation.questionBody("fixture:" + expectation + wireOptions));
            audience.awaitEnd(asked.answerId());
            List<Received> reference = audience.recorders.get(0).answer(asked.questionId(), asked.answerId());
            for (Recorder recorder : audience.recorders) {
                List<Received> received = recorder.answer(asked.questionId(), asked.answerId());
                expectation.check(recorder.toString(), received);
                assertEquals(reference, received, expectation + ": " + recorder + " saw what sse-1 saw");
                assertStrictlyIncreasing(received);
            }
            assertStored(sessionId, asked, reference);
            return new FixtureRun(sessionId, asked, reference);
        }
    }

    record FixtureRun(String sessionId, Asked asked, List<Received> events) {
        Received first(String eventName) {
            return events.stream().filter(e -> e.name().equals(eventName)).findFirst().orElseThrow();
        }
    }

    String createSession(JsonNode body) throws Exception {
        Clients.Answer created = Clients.post(api() + "/sessions", body.toString());
        assertEquals(201, created.status(), String.valueOf(created.body()));
        return created.body().get("id").asText();
    }
}
