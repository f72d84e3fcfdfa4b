package io.assistantstream.upstream.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assistantstream.platform.Json;
import io.assistantstream.upstream.entity.ApolloQuestion;
import io.assistantstream.upstream.entity.FailureCode;
import io.assistantstream.upstream.entity.UpstreamEvent;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What Apollo 3 changed: the credential in the body, global_chat's request and result, its refusals. */
class Apollo3Test {

    private static final List<ApolloQuestion.Turn> HISTORY = List.of(new ApolloQuestion.Turn("user", "Earlier"));

    @Test
    void globalChatIsAskedWithTheWorkflowThePageTheAttachmentsTheCallerAndStreamInOptions() {
        ApolloQuestion question = new ApolloQuestion("Why did it fail?", HISTORY, Json.object().put("old", 1),
                "name: w\n", null, new ApolloQuestion.Global("workflows/w/fetch",
                List.of(new ApolloQuestion.Attachment("log", "Error: 401")), "s-1", "caller-7"));
        assertEquals("global_chat", question.service());
        ObjectNode body = ApolloRequests.body(question);
        assertEquals("Why did it fail?", Json.text(body, "content"));
        assertEquals("name: w\n", Json.text(body, "workflow_yaml"));
        assertEquals("workflows/w/fetch", Json.text(body, "page"));
        assertEquals("log", body.path("attachments").get(0).path("type").asText());
        assertEquals("Error: 401", body.path("attachments").get(0).path("content").asText());
        assertEquals("s-1", body.path("meta").path("session_id").asText());
        assertEquals("caller-7", body.path("meta").path("user").path("id").asText());
        assertTrue(body.path("options").path("stream").asBoolean());
        assertFalse(body.has("stream"), "global_chat ignores a top-level stream");
        assertFalse(body.has("existing_yaml") || body.has("api_key"), body.toString());
        assertEquals(1, body.path("history").size());
    }

    @Test
    void theKeyTravelsInACopyOfTheBodyOnlyWhenConfigured() {
        ObjectNode body = ApolloRequests.body(new ApolloQuestion("q", List.of(), null, null, null, null));
        assertEquals("workflow_chat", new ApolloQuestion("q", List.of(), null, null, null, null).service());
        ObjectNode sent = ApolloRequests.withCredential(body, Optional.of("secret-key"));
        assertEquals("secret-key", Json.text(sent, "api_key"));
        assertFalse(body.has("api_key"), "the kept request never holds the key");
        assertFalse(ApolloRequests.withCredential(body, Optional.empty()).has("api_key"));
        assertTrue(body.path("stream").asBoolean());
    }

    @Test
    void aRefusedKeyNamesTheSettingAndNeverEchoesTheKey() {
        UpstreamEvent.Failed refused = Refusals.of(401,
                "{\"code\":401,\"type\":\"UNAUTHORIZED\",\"message\":\"Bad token secret-key\"}", Optional.of("secret-key"));
        assertEquals(FailureCode.UPSTREAM_UNAUTHORIZED, refused.code());
        assertTrue(refused.message().contains("apollo.api-key") && refused.message().contains("HTTP 401"),
                refused.message());
        assertFalse(refused.message().contains("secret-key"), refused.message());
        assertTrue(Refusals.of(401, "", Optional.empty()).message().contains("No key is configured"));

        UpstreamEvent.Failed unavailable = Refusals.of(503,
                "{\"code\":503,\"type\":\"SERVICE_UNAVAILABLE\",\"message\":\"Busy\"}", Optional.empty());
        assertEquals(FailureCode.UPSTREAM_HTTP_ERROR, unavailable.code());
        assertTrue(unavailable.message().contains("ask again in a moment"), unavailable.message());
        assertTrue(Refusals.of(500, "{\"code\":500,\"type\":\"CLIENT_MISCONFIGURED\",\"message\":\"No key\"}",
                Optional.empty()).message().contains("registration of this client"));
    }

    @Test
    void globalChatsResultCarriesTheWorkflowAttachmentAndTheApolloVersion() throws IOException {
        List<UpstreamEvent> step = ApolloEventDecoderTest.decodeFixture("global-chat-step");
        UpstreamEvent.Completed completed = assertInstanceOf(UpstreamEvent.Completed.class, step.get(step.size() - 1));
        assertTrue(completed.workflowAttachment().contains("No patients returned"));
        assertEquals("3.0.1", completed.apolloVersion());
        List<UpstreamEvent> question = ApolloEventDecoderTest.decodeFixture("global-chat-question");
        assertEquals(null, ((UpstreamEvent.Completed) question.get(question.size() - 1)).workflowAttachment(),
                "an empty attachments list changes nothing");
    }

    @Test
    void aCompleteWithNullDataIsAnErrorNotAnEmptyResult() {
        UpstreamEvent.Failed failed = assertInstanceOf(UpstreamEvent.Failed.class, ApolloEventDecoderTest.decodeOne(
                "complete", "null"));
        assertEquals(FailureCode.UPSTREAM_PROTOCOL_ERROR, failed.code());
        assertTrue(failed.message().contains("without a final result"), failed.message());
    }

    @Test
    void aQuietStreamThatIsClosedSaysHowLongItWasQuiet() {
        assertTrue(UpstreamFailures.closedAfterQuiet(42_000_000_000L).message().contains("after 42 s"));
        assertEquals(FailureCode.UPSTREAM_DISCONNECTED, UpstreamFailures.closedAfterQuiet(0).code());
    }
}
