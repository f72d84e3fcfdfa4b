package io.assistantstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.websocket.Session;
import jakarta.ws.rs.sse.SseEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Undo of applied and accepted changes (idempotent, announced once to every tab, refused when a later change would
 * be lost, exactly once under concurrent requests), and watch-only links on every endpoint and both transports.
 */
abstract class UndoAndViewers extends AgainstServer {

    private static final String ORIGINAL = "name: Original\njobs: {}\n";

    String workflowSession() throws Exception {
        return Clients.post(api() + "/sessions", Clients.JSON.createObjectNode().put("kind", "workflow")
                .put("workflow_yaml", ORIGINAL).toString()).body().path("id").asText();
    }

    /** Asks, waits for the answer's end on the recorder, and returns the id of the change the answer made. */
    String changeOf(String sessionId, String question, Recorder recorder) throws Exception {
        String answerId = ask(sessionId, question);
        recorder.await(e -> e.endsAnswer(answerId), 60_000);
        return recorder.events().stream()
                .filter(e -> e.name().equals("streaming_changes") && answerId.equals(e.data().path("message_id").asText()))
                .findFirst().orElseThrow().data().path("change_id").asText();
    }

    static long updates(Recorder recorder, String changeId, String status) {
        return recorder.events().stream().filter(e -> e.name().equals("change_updated")
                && changeId.equals(e.data().path("change_id").asText())
                && status.equals(e.data().path("status").asText())).count();
    }

    @Test
    void undoRestoresTheWorkflowBeforeTellsEveryTabOnceAndNeverLosesALaterChange() throws Exception {
        String sessionId = workflowSession();
        String session = api() + "/sessions/" + sessionId;
        Recorder sse = new Recorder("sse tab");
        Recorder socket = new Recorder("websocket tab");
        try (SseEventSource events = Clients.sse(session + "/events?last_event_id=0", sse);
             Session ws = Clients.webSocket(socketUrl(sessionId) + "?last_event_id=0", socket, null)) {
            String first = changeOf(sessionId, "fixture:workflow-chat-basic", sse);
            String firstYaml = Clients.get(session).body().path("workflow_yaml").asText();
            String second = changeOf(sessionId, "fixture:workflow-chat-basic;name=Second-Sync", sse);
            assertTrue(Clients.get(session).body().path("workflow_yaml").asText().contains("name: Second-Sync"));

            Clients.Answer wouldLose = Clients.post(session + "/changes/" + first + "/revert", null);
            assertEquals(409, wouldLose.status(), String.valueOf(wouldLose.body()));
            assertEquals("application/problem+json", wouldLose.contentType());
            assertTrue(wouldLose.body().path("detail").asText().contains(second),
                    "the refusal names the later change: " + wouldLose.body());

            for (int i = 0; i < 2; i++) {
                Clients.Answer undone = Clients.post(session + "/changes/" + second + "/revert", null);
                assertEquals(200, undone.status(), String.valueOf(undone.body()));
                assertEquals("reverted", undone.body().path("status").asText());
            }
            assertEquals(firstYaml, Clients.get(session).body().path("workflow_yaml").asText(),
                    "the workflow is what it was before the undone change");

            // Eight tabs undo the first change at once: one undo happens, every request sees it done.
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Clients.Answer>> racing = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Callable<Clients.Answer> undo = () -> {
                    start.await();
                    return Clients.post(session + "/changes/" + first + "/revert", null);
                };
                racing.add(pool.submit(undo));
            }
            start.countDown();
            for (Future<Clients.Answer> each : racing) {
                Clients.Answer answer = each.get();
                assertEquals(200, answer.status(), String.valueOf(answer.body()));
                assertEquals("reverted", answer.body().path("status").asText());
            }
            pool.shutdown();
            JsonNode restored = Clients.get(session).body();
            assertEquals(ORIGINAL, restored.path("workflow_yaml").asText());

            for (Recorder tab : List.of(sse, socket)) {
                Received last = tab.await(e -> e.name().equals("change_updated")
                        && first.equals(e.data().path("change_id").asText()), 10_000);
                assertEquals(ORIGINAL, last.data().path("workflow_yaml").asText(), "the event carries the restored workflow");
                assertEquals(1, updates(tab, second, "reverted"), tab + ": announced once, however often it was asked");
                assertEquals(1, updates(tab, first, "reverted"), tab + ": one undo out of eight racing requests");
            }
            for (JsonNode change : restored.path("applied_changes")) {
                assertEquals("reverted", change.path("status").asText(), change.toString());
            }

            String again = changeOf(sessionId, "fixture:workflow-chat-basic", sse);
            assertEquals(first, again);
            assertEquals(ORIGINAL, Clients.get(session).body().path("workflow_yaml").asText(),
                    "an undone change arriving again (a retried answer) is a duplicate, not applied a second time");
        }
    }

    @Test
    void anAcceptedCodeChangeCanBeUndoneAndAProposalCannot() throws Exception {
        String sessionId = Clients.post(api() + "/sessions", "{\"kind\":\"job\",\"job\":{\"name\":\"Fetch\","
                + "\"code\":\"get('/patients');\\n\"}}").body().path("id").asText();
        String session = api() + "/sessions/" + sessionId;
        Recorder tab = new Recorder("job tab");
        try (SseEventSource events = Clients.sse(session + "/events?last_event_id=0", tab)) {
            String proposal = changeOf(sessionId, "fixture:job-chat-code", tab);
            Clients.Answer early = Clients.post(session + "/changes/" + proposal + "/revert", null);
            assertEquals(409, early.status(), "a proposal is rejected, not undone: " + early.body());
            assertEquals(200, Clients.post(session + "/changes/" + proposal + "/accept", null).status());
            assertFalse(Clients.get(session).body().path("job").path("code").asText().equals("get('/patients');\n"));

            assertEquals("reverted", Clients.post(session + "/changes/" + proposal + "/revert", null).body()
                    .path("status").asText());
            assertEquals("get('/patients');\n", Clients.get(session).body().path("job").path("code").asText());
            Received undone = tab.await(e -> e.name().equals("change_updated")
                    && "reverted".equals(e.data().path("status").asText()), 10_000);
            assertEquals("get('/patients');\n", undone.data().path("job_code").asText());
            assertEquals(409, Clients.post(session + "/changes/" + proposal + "/accept", null).status(),
                    "an undone change is not accepted again");
            assertEquals(404, Clients.post(session + "/changes/no-such-change/revert", null).status());
        }
    }

    @Test
    void aWatchOnlyTokenFollowsTheSessionButChangesNothing() throws Exception {
        String sessionId = workflowSession();
        String session = api() + "/sessions/" + sessionId;
        Clients.Answer issued = Clients.post(session + "/viewer-token", null);
        assertEquals(201, issued.status(), String.valueOf(issued.body()));
        String viewer = issued.body().path("viewer_token").asText();
        assertEquals(43, viewer.length());

        JsonNode seen = Clients.send("GET", session, null, null, viewer).body();
        assertEquals("viewer", seen.path("access").asText());
        assertEquals("owner", Clients.get(session).body().path("access").asText());

        Recorder curl = new Recorder("curl with the watch-only token");
        Recorder socket = new Recorder("websocket with the watch-only token");
        try (CurlSse events = new CurlSse(session + "/events?last_event_id=0&access_token=" + viewer, curl);
             Session ws = Clients.TYRUS_RAW.apply(socketUrl(sessionId) + "?last_event_id=0&access_token=" + viewer,
                     socket)) {
            String change = changeOf(sessionId, "fixture:workflow-chat-basic", curl);
            String answerId = curl.events().stream().filter(e -> e.name().equals("streaming_complete")).findFirst()
                    .orElseThrow().data().path("message").path("id").asText();
            socket.await(e -> e.endsAnswer(answerId), 30_000);

            List<String[]> owners = List.of(
                    new String[] {session + "/messages", "{\"content\":\"hi\"}"},
                    new String[] {session + "/messages/" + answerId + "/cancel", null},
                    new String[] {session + "/changes/" + change + "/accept", null},
                    new String[] {session + "/changes/" + change + "/reject", null},
                    new String[] {session + "/changes/" + change + "/revert", null},
                    new String[] {session + "/viewer-token", null});
            for (String[] call : owners) {
                Clients.Answer refused = Clients.send("POST", call[0], call[1] == null ? null : "application/json",
                        call[1], viewer);
                assertEquals(403, refused.status(), call[0] + ": " + refused.body());
                assertEquals("application/problem+json", refused.contentType());
                assertTrue(refused.body().path("detail").asText().contains("watch-only"), refused.body().toString());
            }
            ws.getBasicRemote().sendText("{\"type\":\"message\",\"content\":\"hi\"}");
            JsonNode frame = socket.await(e -> e.name().equals("error"), 10_000).data();
            assertEquals(403, frame.path("status").asInt(), frame.toString());
            assertEquals(2, Clients.get(session).body().path("messages").size(), "the owner's question and its answer only");
            assertEquals("applied", Clients.get(session).body().path("applied_changes").get(0).path("status").asText(),
                    "nor undid anything");
        }

        String newer = Clients.post(session + "/viewer-token", null).body().path("viewer_token").asText();
        assertEquals(403, Clients.send("GET", session, null, null, viewer).status(), "a new link turns off the old");
        assertEquals(200, Clients.send("GET", session, null, null, newer).status());
        Recorder refused = new Recorder("websocket with the old watch-only token");
        Clients.TYRUS_RAW.apply(socketUrl(sessionId) + "?access_token=" + viewer, refused);
        assertEquals(1008, refused.await(e -> e.name().equals("ws_closed"), 10_000).data().path("code").asInt());
    }
}
