package io.assistantstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Today's Apollo (3.0.1) as the relay meets it: the credential in the body, global_chat's request, its changes
 * with per-step diffs and undo, and every ordering Apollo 3 sends, each through two SSE and two WebSocket clients.
 * They run on MetricsIT's deployment (the same settings), with the pipeline's own tests.
 */
abstract class Apollo3Pipeline extends AnswersUnderTest {

    static FakeApollo apollo;

    @Test
    void everyApollo3OrderingEndsAsTheContractSays() throws Exception {
        List<String> names = FixtureExpectation.namesIn(FakeApollo.ORDERINGS);
        assertEquals(5, names.size(), names.toString());
        for (String name : names) {
            FixtureRun run = checkFixture(new FixtureExpectation(FakeApollo.ORDERINGS, name), ";piece=11");
            if (name.startsWith("error-after-stop")) {
                String session = api() + "/sessions/" + run.sessionId();
                String changeId = run.first("streaming_changes").data().path("change_id").asText();
                JsonNode stored = Clients.get(session).body();
                assertEquals("applied", stored.path("applied_changes").get(0).path("status").asText(), name);
                assertEquals(run.first("streaming_changes").data().path("yaml"), stored.path("workflow_yaml"), name);
                assertEquals(200, Clients.post(session + "/changes/" + changeId + "/revert", null).status(),
                        name + ": the change applied before the error can be undone");
                assertFalse(Clients.get(session).body().hasNonNull("workflow_yaml"), name + ": undone");
            }
        }
        assertTrue(apollo.requests.stream().anyMatch(r -> r.path("stream").asBoolean()));
    }

    @Test
    void aGlobalSessionAsksGlobalChatWithItsWorkflowAndSendsWhatEachAnswerLeft() throws Exception {
        FixtureExpectation planner = new FixtureExpectation(FakeApollo.FIXTURES, "global-chat-planner");
        String original = planner.sessionBody().path("workflow_yaml").asText();
        FixtureRun planned = checkFixture(planner, ";piece=13");
        JsonNode asked = apollo.requests.get(apollo.requests.size() - 1);
        assertEquals("global_chat", apollo.services.get(apollo.services.size() - 1));
        assertEquals(original, asked.path("workflow_yaml").asText(), "the workflow with every step's code");
        assertEquals(planned.sessionId(), asked.path("meta").path("session_id").asText());
        assertTrue(asked.path("meta").path("user").path("id").isTextual(), "the caller: " + asked);
        assertTrue(asked.path("options").path("stream").asBoolean());
        assertEquals(FakeApollo.KEY, asked.path("api_key").asText());
        assertFalse(asked.has("page") || asked.has("attachments"), "none were given: " + asked);

        String session = api() + "/sessions/" + planned.sessionId();
        JsonNode change = planned.first("streaming_changes").data();
        JsonNode diffs = change.path("code_diffs");
        assertTrue(diffs.toString().contains("+  fn(state => ({ ...state, data: state.data.filter(p => p.active) }));")
                || diffs.toString().contains("+fn(state => ({ ...state, data: state.data.filter(p => p.active) }));"),
                diffs.toString());
        assertEquals(change.path("yaml"), Clients.get(session).body().path("workflow_yaml"));

        try (Audience tabs = new Audience(planned.sessionId(), lastEventId(planned.sessionId()))) {
            ObjectNode question = Clients.JSON.createObjectNode().put("content", "fixture:global-chat-question")
                    .put("page", "workflows/patient-sync/notify-team");
            question.putArray("attachments").addObject().put("type", "log").put("content", "Error: 401 from Mailgun");
            Asked next = askWith(planned.sessionId(), question);
            tabs.awaitEnd(next.answerId());
            JsonNode sent = apollo.requests.get(apollo.requests.size() - 1);
            assertEquals(change.path("yaml").asText(), sent.path("workflow_yaml").asText(),
                    "the next question sends the workflow the last answer applied");
            assertEquals("workflows/patient-sync/notify-team", sent.path("page").asText());
            assertEquals("Error: 401 from Mailgun", sent.path("attachments").get(0).path("content").asText());
            assertEquals("log", sent.path("attachments").get(0).path("type").asText());
            assertEquals(2, sent.path("history").size(), "the planner exchange: " + sent.path("history"));

            Clients.Answer undone = Clients.post(session + "/changes/" + change.path("change_id").asText() + "/revert", null);
            assertEquals(200, undone.status(), String.valueOf(undone.body()));
            assertEquals(original, Clients.get(session).body().path("workflow_yaml").asText(),
                    "undo restores the workflow and every step's code");
            for (Recorder tab : tabs.recorders) {
                Received update = tab.await(e -> e.name().equals("change_updated"), ANSWER_TIMEOUT_MILLIS);
                assertEquals("reverted", update.data().path("status").asText(), tab.toString());
                assertEquals(original, update.data().path("workflow_yaml").asText(), tab + " gets the restored workflow");
            }
        }
        JsonNode listed = Clients.get(session).body().path("applied_changes").get(0);
        assertEquals(3, listed.path("code_diffs").size(), "the stored change keeps its per-step diffs: " + listed);
    }

    @Test
    void aStepAnswerIsAppliedFromTheAttachmentAndAQuestionChangesNothing() throws Exception {
        FixtureRun step = checkFixture(new FixtureExpectation(FakeApollo.FIXTURES, "global-chat-step"), "");
        JsonNode asked = apollo.requests.get(apollo.requests.size() - 1);
        assertEquals("workflows/patient-sync/fetch-patients", asked.path("page").asText(), "the question's page");
        JsonNode diff = step.first("streaming_changes").data().path("code_diffs").get(0);
        assertEquals("Fetch Patients", diff.path("name").asText());
        assertTrue(diff.path("diff").asText().contains("+  if (!state.data?.length) throw new Error('No patients returned');"),
                diff.toString());

        FixtureRun question = checkFixture(new FixtureExpectation(FakeApollo.FIXTURES, "global-chat-question"), "");
        assertTrue(question.events().stream().noneMatch(e -> e.name().equals("streaming_changes")));
    }

    @Test
    void aRefusedKeyEndsTheAnswerWithOneErrorThatNamesTheSettingAndHealthSaysSo() throws Exception {
        apollo.requireKey("rotated-key-at-apollo");
        try {
            assertFault("fixture:workflow-chat-basic", "upstream_unauthorized", "apollo.api-key");
            JsonNode credential = Clients.get(api() + "/health").body().path("upstream").path("credential");
            assertEquals("refused", credential.path("status").asText(), credential.toString());
        } finally {
            apollo.requireKey(FakeApollo.KEY);
        }
        String sessionId = createSession(false, null);
        Asked ok = askFor(sessionId, "fixture:error-event");
        try (Audience audience = new Audience(sessionId, 0)) {
            audience.awaitEnd(ok.answerId());
        }
        assertEquals("accepted", Clients.get(api() + "/health").body().path("upstream").path("credential")
                .path("status").asText());
    }

    @Test
    void anApolloThatClosesAQuietConnectionIsADisconnectWithItsReason() throws Exception {
        assertFault("quiet-close", "upstream_disconnected", "without sending anything");
    }

    @Test
    void aWebSocketQuestionCarriesItsPageAndAttachmentsToo() throws Exception {
        String sessionId = createSession(new FixtureExpectation(FakeApollo.FIXTURES, "global-chat-question").sessionBody());
        ObjectNode frame = Clients.JSON.createObjectNode().put("type", "message")
                .put("content", "fixture:global-chat-question").put("page", "workflows/patient-sync/load-to-dhis2");
        frame.putArray("attachments").addObject().put("type", "output_dataclip").put("content", "{\"data\":[]}");
        Recorder socket = new Recorder("global-ws");
        jakarta.websocket.Session ws = Clients.webSocket(socketUrl(sessionId) + "?last_event_id=0", socket,
                frame.toString());
        try {
            Received end = socket.await(e -> e.name().equals("streaming_complete"), ANSWER_TIMEOUT_MILLIS);
            assertTrue(end.data().path("message").path("content").asText().contains("Load to DHIS2"), end.toString());
        } finally {
            ws.close();
        }
        JsonNode sent = apollo.requests.get(apollo.requests.size() - 1);
        assertEquals("workflows/patient-sync/load-to-dhis2", sent.path("page").asText(), sent.toString());
        assertEquals("output_dataclip", sent.path("attachments").get(0).path("type").asText());

        Recorder refused = new Recorder("workflow-ws");
        String workflowSession = createSession(false, null);
        jakarta.websocket.Session other = Clients.webSocket(socketUrl(workflowSession) + "?last_event_id=0", refused,
                "{\"type\":\"message\",\"content\":\"hi\",\"page\":\"workflows/x/y\"}");
        try {
            JsonNode error = refused.await(e -> e.name().equals("error"), ANSWER_TIMEOUT_MILLIS).data();
            assertEquals(400, error.path("status").asInt(), error.toString());
            assertTrue(error.path("detail").asText().contains("global sessions"), error.toString());
        } finally {
            other.close();
        }
    }

    @Test
    void healthAsksLivezWhichNeedsNoCredential() throws Exception {
        int before = apollo.livenessChecks.get();
        JsonNode upstream = Clients.get(api() + "/health").body().path("upstream");
        assertTrue(upstream.path("reachable").asBoolean(), upstream.toString());
        assertTrue(apollo.livenessChecks.get() > before, "GET /livez was asked");
        assertFalse(upstream.toString().contains(FakeApollo.KEY), "the key is never shown");
    }
}
