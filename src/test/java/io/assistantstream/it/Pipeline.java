package io.assistantstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.websocket.Session;
import jakarta.ws.rs.sse.SseEventSource;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline on each server of the suite (Payara Micro with H2, WildFly with PostgreSQL and Redis): the
 * built WAR, a fake Apollo on a loopback socket replaying the contract fixtures, and real SSE (Jersey) and
 * WebSocket (Tyrus) clients. Run on MetricsIT's deployment (the fake Apollo 3, short timeouts), after its tests.
 */
abstract class Pipeline extends Apollo3Pipeline {

    @Test
    void everyFixtureReachesEverySubscriberInOrderAndIsStored() throws Exception {
        List<String> names = FixtureExpectation.namesIn(FakeApollo.FIXTURES);
        assertEquals(14, names.size(), "every contract fixture is exercised");
        for (String name : names) {
            // Small pieces over the wire: events and multi-byte characters split across network reads.
            checkFixture(new FixtureExpectation(FakeApollo.FIXTURES, name), ";piece=7");
        }
        assertTrue(apollo.requests.stream().allMatch(r -> FakeApollo.KEY.equals(r.path("api_key").asText())),
                "every request carried the key in its body");
    }

    @Test
    void aWorkflowIsAppliedBeforeTheTextAndNeverTwice() throws Exception {
        String sessionId = createSession(false, null);
        try (Audience audience = new Audience(sessionId, lastEventId(sessionId))) {
            Recorder watcher = audience.recorders.get(0);
            Asked asked = askFor(sessionId, "fixture:workflow-chat-basic;piece=60;pause=25");
            Received change = watcher.await(e -> e.name().equals("streaming_changes"), ANSWER_TIMEOUT_MILLIS);
            JsonNode whileStreaming = Clients.get(api() + "/sessions/" + sessionId).body();
            assertEquals(asked.answerId(), whileStreaming.path("streaming").path("message_id").asText(),
                    "the answer is still streaming");
            assertEquals(change.data().path("yaml"), whileStreaming.path("workflow_yaml"), "already applied");
            JsonNode stored = whileStreaming.path("applied_changes").get(0);
            assertEquals("applied", stored.path("status").asText());
            assertEquals(asked.answerId(), stored.path("message_id").asText());
            assertEquals(change.data().path("change_id"), stored.path("id"));

            audience.awaitEnd(asked.answerId());
            List<Received> events = watcher.answer(asked.questionId(), asked.answerId());
            long firstChunk = events.stream().filter(e -> e.name().equals("streaming_chunk")).findFirst()
                    .orElseThrow().id();
            assertTrue(change.id() < firstChunk, "the change (" + change.id() + ") precedes the text (" + firstChunk + ")");

            Asked again = askFor(sessionId, "fixture:workflow-chat-basic");
            audience.awaitEnd(again.answerId());
            List<Received> repeat = watcher.answer(again.questionId(), again.answerId());
            Received duplicate = repeat.stream().filter(e -> e.name().equals("streaming_changes")).findFirst().orElseThrow();
            assertEquals("duplicate", duplicate.data().path("status").asText(), "a retried answer changes nothing");
            assertEquals(change.data().path("change_id"), duplicate.data().path("change_id"), "it names the original");
            assertEquals(0, repeat.get(repeat.size() - 1).data().path("message").path("changes").size());
        }
        assertEquals(1, Clients.get(api() + "/sessions/" + sessionId).body().path("applied_changes").size());
    }

    @Test
    void aProposalIsAcceptedOrRejectedOnceAndEveryTabFollows() throws Exception {
        String start = "get('/patients');\n";
        String sessionId = createSession(true, start);
        String session = api() + "/sessions/" + sessionId;
        try (Audience audience = new Audience(sessionId, lastEventId(sessionId))) {
            Recorder otherTab = audience.recorders.get(3);
            Asked asked = askFor(sessionId, "fixture:job-chat-code");
            audience.awaitEnd(asked.answerId());
            Received proposal = otherTab.await(e -> e.name().equals("streaming_changes"), ANSWER_TIMEOUT_MILLIS);
            assertEquals("proposed", proposal.data().path("status").asText());
            assertTrue(proposal.data().path("diff").asText().contains("+fn(state => {"), proposal.toString());
            String changeId = proposal.data().path("change_id").asText();
            assertEquals(start, Clients.get(session).body().path("job").path("code").asText(), "only proposed");

            Clients.Answer accepted = Clients.post(session + "/changes/" + changeId + "/accept", null);
            assertEquals(200, accepted.status(), String.valueOf(accepted.body()));
            assertEquals("accepted", accepted.body().path("status").asText());
            assertEquals(proposal.data().path("code"), Clients.get(session).body().path("job").path("code"));
            assertEquals(200, Clients.post(session + "/changes/" + changeId + "/accept", null).status(), "idempotent");
            Clients.assertProblem(Clients.post(session + "/changes/" + changeId + "/reject", null), 409);

            Asked second = askFor(sessionId, "fixture:job-chat-text-first");
            audience.awaitEnd(second.answerId());
            Received another = otherTab.answer(second.questionId(), second.answerId()).stream()
                    .filter(e -> e.name().equals("streaming_changes")).findFirst().orElseThrow();
            String secondId = another.data().path("change_id").asText();
            assertEquals(200, Clients.post(session + "/changes/" + secondId + "/reject", null).status());
            assertEquals(200, Clients.post(session + "/changes/" + secondId + "/reject", null).status(), "idempotent");
            Clients.assertProblem(Clients.post(session + "/changes/" + secondId + "/accept", null), 409);
            assertEquals(proposal.data().path("code"), Clients.get(session).body().path("job").path("code"),
                    "a rejected proposal leaves the code as it was");
            Clients.assertProblem(Clients.post(session + "/changes/no-such-change/accept", null), 404);

            Asked marker = askFor(sessionId, "fixture:error-event");
            audience.awaitEnd(marker.answerId());
            for (Recorder recorder : audience.recorders) {
                List<String> decisions = recorder.events().stream().filter(e -> e.name().equals("change_updated"))
                        .map(e -> e.data().path("change_id").asText() + ":" + e.data().path("status").asText())
                        .toList();
                assertEquals(List.of(changeId + ":accepted", secondId + ":rejected"), decisions,
                        recorder + " follows each decision once");
            }
        }
        JsonNode changes = Clients.get(session).body().path("applied_changes");
        assertEquals(List.of("accepted", "rejected"), List.of(changes.get(0).path("status").asText(),
                changes.get(1).path("status").asText()), "every change with its status, newest last");
    }

    @Test
    void theRequestToTheServiceCarriesTheConversation() throws Exception {
        String sessionId = createSession(true, "get('/x');\n");
        try (Audience audience = new Audience(sessionId, lastEventId(sessionId))) {
            Asked first = askFor(sessionId, "fixture:job-chat-code");
            audience.awaitEnd(first.answerId());
            Asked second = askFor(sessionId, "fixture:job-chat-text-first");
            audience.awaitEnd(second.answerId());
        }
        JsonNode request = apollo.requests.get(apollo.requests.size() - 1);
        assertEquals("fixture:job-chat-text-first", request.path("content").asText());
        assertEquals(true, request.path("stream").asBoolean());
        assertEquals(true, request.path("suggest_code").asBoolean());
        assertEquals("get('/x');\n", request.path("context").path("expression").asText());
        assertEquals("@openfn/language-http@latest", request.path("context").path("adaptor").asText());
        assertEquals(2, request.path("history").size(), "the first question and its answer: " + request);
        assertEquals("user", request.path("history").get(0).path("role").asText());
        assertTrue(request.path("meta").has("rag"), "meta from the previous answer is passed back: " + request);
    }

    @Test
    void aSubscriberThatDropsMidAnswerResumesWithNoGapAndNoDuplicate() throws Exception {
        String sessionId = createSession(false, null);
        long start = lastEventId(sessionId);
        Recorder steady = new Recorder("steady");
        SseEventSource steadySource = Clients.sse(api() + "/sessions/" + sessionId + "/events?last_event_id=" + start,
                steady);
        Recorder sseFirst = new Recorder("sse-before-drop");
        SseEventSource dropping = Clients.sse(api() + "/sessions/" + sessionId + "/events?last_event_id=" + start,
                sseFirst);
        Recorder wsFirst = new Recorder("ws-before-drop");
        Session wsDropping = Clients.webSocket(ws() + "/sessions/" + sessionId + "?last_event_id=" + start, wsFirst, null);

        Asked asked = askFor(sessionId, "fixture:workflow-chat-basic;piece=60;pause=25");
        sseFirst.await(e -> e.name().equals("streaming_chunk"), ANSWER_TIMEOUT_MILLIS);
        dropping.close();
        wsFirst.await(e -> e.name().equals("streaming_chunk"), ANSWER_TIMEOUT_MILLIS);
        wsDropping.close();
        long sseLast = lastId(sseFirst);
        long wsLast = lastId(wsFirst);

        Recorder sseAgain = new Recorder("sse-resumed");
        SseEventSource resumed = Clients.sse(api() + "/sessions/" + sessionId + "/events?last_event_id=" + sseLast,
                sseAgain);
        Recorder wsAgain = new Recorder("ws-resumed");
        Session wsResumed = Clients.webSocket(ws() + "/sessions/" + sessionId, wsAgain,
                "{\"type\":\"resume\",\"last_event_id\":" + wsLast + "}");
        for (Recorder recorder : List.of(steady, sseAgain, wsAgain)) {
            recorder.await(e -> e.endsAnswer(asked.answerId()), ANSWER_TIMEOUT_MILLIS);
        }
        List<Received> expected = steady.answer(asked.questionId(), asked.answerId());
        assertTrue(expected.size() > 10, "the answer has many events: " + expected);
        assertEquals(expected, joined(sseFirst, sseAgain), "SSE: before the drop plus after the resume");
        assertEquals(expected, joined(wsFirst, wsAgain), "WebSocket: before the drop plus after the resume");
        steadySource.close();
        resumed.close();
        wsResumed.close();
    }

    static long lastId(Recorder recorder) {
        List<Received> events = recorder.events();
        return events.stream().filter(e -> e.id() > 0).mapToLong(Received::id).max().orElseThrow();
    }

    static List<Received> joined(Recorder before, Recorder after) {
        List<Received> all = new ArrayList<>();
        before.events().stream().filter(e -> e.id() > 0).forEach(all::add);
        after.events().stream().filter(e -> e.id() > 0 && !e.name().equals("ws_closed")).forEach(all::add);
        return all;
    }

    @Test
    void everyUpstreamFaultEndsAsOneStreamingErrorWithItsOwnCode() throws Exception {
        assertFault("http:500:json", "upstream_http_error", "Model overloaded");
        assertFault("http:502:text", "upstream_http_error", "HTTP 502");
        assertFault("html", "upstream_bad_content_type", "text/html");
        assertFault("silent", "upstream_timeout", "sent nothing");
        apollo.stopListening();
        try {
            assertFault("anything", "upstream_unreachable", "Cannot connect");
        } finally {
            apollo.resumeListening();
        }
    }

    @Test
    void aCancelledAnswerStopsAndKeepsItsText() throws Exception {
        String sessionId = createSession(false, null);
        try (Audience audience = new Audience(sessionId, lastEventId(sessionId))) {
            Asked asked = askFor(sessionId, "fixture:workflow-chat-basic;piece=40;pause=40");
            Recorder watcher = audience.recorders.get(0);
            watcher.await(e -> e.name().equals("streaming_chunk"), ANSWER_TIMEOUT_MILLIS);

            Clients.Answer busy = Clients.post(api() + "/sessions/" + sessionId + "/messages", "{\"content\":\"again\"}");
            assertEquals(409, busy.status(), "one answer at a time");
            assertEquals("application/problem+json", busy.contentType());

            Clients.Answer cancel = Clients.post(
                    api() + "/sessions/" + sessionId + "/messages/" + asked.answerId() + "/cancel", null);
            assertEquals(202, cancel.status());
            audience.awaitEnd(asked.answerId());
            for (Recorder recorder : audience.recorders) {
                List<Received> events = recorder.answer(asked.questionId(), asked.answerId());
                Received end = events.get(events.size() - 1);
                assertEquals("streaming_error", end.name(), recorder.toString());
                assertEquals("cancelled", end.data().path("error").path("code").asText());
                assertTrue(events.stream().noneMatch(e -> e.name().equals("streaming_complete")));
            }
            JsonNode stored = storedMessage(sessionId, asked.answerId());
            assertEquals("cancelled", stored.path("status").asText());
            assertTrue(stored.path("content").asText().startsWith("I've updated"), stored.toString());
        }
        Clients.Answer again = Clients.post(api() + "/sessions/" + sessionId + "/messages",
                "{\"content\":\"fixture:error-event\"}");
        assertEquals(202, again.status(), "after a cancel the session takes questions again");
    }

    @Test
    void badRequestsGetTheirStatusAndAProblemBody() throws Exception {
        String sessionId = createSession(false, null);
        String messages = api() + "/sessions/" + sessionId + "/messages";
        Clients.assertProblem(Clients.post(api() + "/sessions", "{\"kind\":"), 400);
        Clients.assertProblem(Clients.post(api() + "/sessions", "{\"kind\":\"spreadsheet\"}"), 400);
        Clients.assertProblem(Clients.post(api() + "/sessions", "[1,2]"), 400);
        Clients.assertProblem(Clients.post(api() + "/sessions", "{\"kind\":\"job\"}"), 400);
        Clients.assertProblem(Clients.post(messages, "{}"), 400);
        Clients.assertProblem(Clients.post(messages, "{\"content\":\"\"}"), 400);
        Clients.assertProblem(Clients.post(messages, "{\"content\":42}"), 400);
        Clients.assertProblem(Clients.send("POST", messages, "text/plain", "hello"), 415);
        Clients.assertProblem(Clients.post(messages, "{\"content\":\"" + "x".repeat(70_000) + "\"}"), 413);
        Clients.assertProblem(Clients.get(api() + "/sessions/no-such-session"), 404);
        Clients.assertProblem(Clients.post(api() + "/sessions/no-such-session/messages", "{\"content\":\"hi\"}"), 404);
        Clients.assertProblem(Clients.get(api() + "/sessions/" + sessionId + "/events?last_event_id=abc"), 400);
        Clients.assertProblem(Clients.get(api() + "/sessions/no-such-session/events"), 404);
        Clients.assertProblem(Clients.post(messages + "/not-streaming/cancel", null), 409);
    }

    @Test
    void theSseWireIsPlainTextEventsAndHeartbeats() throws Exception {
        String sessionId = createSession(false, null);
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(Clients.withToken(api() + "/sessions/" + sessionId + "/events")))
                .header("Accept", "text/event-stream").build();
        java.net.http.HttpResponse<java.util.stream.Stream<String>> response = java.net.http.HttpClient
                .newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        Asked asked = askFor(sessionId, "fixture:error-event");
        List<String> lines = new ArrayList<>();
        long heartbeats = 0;
        var iterator = response.body().iterator();
        while (iterator.hasNext()) {
            String line = iterator.next();
            lines.add(line);
            if (line.equals(": heartbeat")) {
                heartbeats++;
            }
            // The heartbeat interval is 1 s in this deployment: wait for one more after the answer ended.
            if (String.join("\n", lines).contains("streaming_error") && heartbeats >= 2) {
                break;
            }
        }
        response.body().close();
        int created = lines.indexOf("event: message_created");
        assertTrue(created >= 0, "events are named: " + lines);
        int start = lines.subList(0, created).lastIndexOf("") + 1;
        int end = created + lines.subList(created, lines.size()).indexOf("");
        List<String> event = lines.subList(start, end);
        assertEquals(3, event.size(), "an event is id, event and data lines: " + event);
        assertTrue(event.stream().anyMatch(line -> line.matches("id: \\d+")), "an id line: " + event);
        String data = event.stream().filter(line -> line.startsWith("data: ")).findFirst().orElseThrow();
        assertEquals(asked.questionId(), Clients.JSON.readTree(data.substring(6)).path("message").path("id").asText());
    }

    @Test
    void everySessionCallNeedsThatSessionsToken() throws Exception {
        String mine = createSession(false, null);
        String theirs = createSession(false, null);
        String theirToken = Clients.tokenFor("/sessions/" + theirs);
        String myToken = Clients.tokenFor("/sessions/" + mine);
        String session = api() + "/sessions/" + mine;
        List<String[]> calls = List.of(
                new String[] {"GET", session, null},
                new String[] {"POST", session + "/messages", "{\"content\":\"hi\"}"},
                new String[] {"POST", session + "/messages/m/cancel", null},
                new String[] {"POST", session + "/changes/c/accept", null},
                new String[] {"POST", session + "/changes/c/reject", null},
                new String[] {"POST", session + "/changes/c/revert", null},
                new String[] {"POST", session + "/viewer-token", null},
                new String[] {"GET", session + "/events", null});
        for (String[] call : calls) {
            String type = call[2] == null ? null : "application/json";
            Clients.Answer missing = Clients.send(call[0], call[1], type, call[2], (String) null);
            Clients.assertProblem(missing, 401);
            Clients.Answer wrong = Clients.send(call[0], call[1], type, call[2], theirToken);
            Clients.assertProblem(wrong, 403);
            Clients.assertProblem(Clients.send(call[0], call[1], type, call[2], "not-a-token"), 403);
        }
        Clients.Answer byParameter = Clients.send("GET", session + "?access_token=" + myToken, null, null, (String) null);
        assertEquals(200, byParameter.status());
        assertTrue(!byParameter.body().toString().contains(myToken), "the token is never echoed");
        assertEquals(200, Clients.send("GET", session, null, null, Map.of("Authorization", "Bearer " + myToken)).status(),
                "in open mode a session's token may still come as the bearer token, as before callers were known");

        for (String[] refused : List.of(new String[] {"", "missing token"}, new String[] {theirToken, "wrong token"})) {
            Recorder recorder = new Recorder("ws-" + refused[1]);
            Clients.TYRUS_RAW.apply(ws() + "/sessions/" + mine + "?access_token=" + refused[0], recorder);
            Received closed = recorder.await(e -> e.name().equals("ws_closed"), 10_000);
            assertEquals(1008, closed.data().path("code").asInt());
            assertEquals(refused[1], closed.data().path("reason").asText());
        }
        Recorder unknown = new Recorder("ws-unknown");
        Clients.TYRUS_RAW.apply(ws() + "/sessions/no-such-session?access_token=" + myToken, unknown);
        assertEquals("unknown session", unknown.await(e -> e.name().equals("ws_closed"), 10_000)
                .data().path("reason").asText());
    }

    @Test
    void healthReportsTheDatabaseAndTheService() throws Exception {
        Clients.Answer health = Clients.get(api() + "/health");
        assertEquals(200, health.status());
        assertEquals("up", health.body().path("database").asText());
        assertEquals(apollo.url(), health.body().path("upstream").path("url").asText());
        assertEquals(true, health.body().path("upstream").path("reachable").asBoolean());
    }
}
