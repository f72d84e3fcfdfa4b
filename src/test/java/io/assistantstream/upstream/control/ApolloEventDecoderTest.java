package io.assistantstream.upstream.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.assistantstream.upstream.entity.AnswerRef;
import io.assistantstream.upstream.entity.FailureCode;
import io.assistantstream.upstream.entity.ProposedChange;
import io.assistantstream.upstream.entity.ServerSentEvent;
import io.assistantstream.upstream.entity.UpstreamEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApolloEventDecoderTest {

    static final AnswerRef ANSWER = new AnswerRef("s", "m");

    static List<UpstreamEvent> decodeFixture(String name) throws IOException {
        byte[] bytes = Files.readAllBytes(EventStreamParserTest.FIXTURES.resolve(name + ".sse"));
        return EventStreamParserTest.parse(bytes).stream()
                .map(event -> ApolloEventDecoder.decode(ANSWER, event))
                .flatMap(Optional::stream)
                .toList();
    }

    static UpstreamEvent decodeOne(String type, String data) {
        return ApolloEventDecoder.decode(ANSWER, new ServerSentEvent("", type, data)).orElseThrow();
    }

    static String text(List<UpstreamEvent> events) {
        StringBuilder text = new StringBuilder();
        events.stream().filter(UpstreamEvent.TextDelta.class::isInstance)
                .forEach(e -> text.append(((UpstreamEvent.TextDelta) e).text()));
        return text.toString();
    }

    @Test
    void aWorkflowAnswerBringsStatusesTheChangeTheTextAndTheResult() throws IOException {
        List<UpstreamEvent> events = decodeFixture("workflow-chat-basic");
        assertEquals(new UpstreamEvent.StatusLine("Reviewing the workflow..."), events.get(0));
        assertEquals(new UpstreamEvent.StatusLine("Designing the workflow..."), events.get(1));
        ProposedChange change = ((UpstreamEvent.ChangesArrived) events.get(2)).change();
        assertTrue(((ProposedChange.WorkflowYaml) change).yaml().startsWith("name: Patient-Sync\n"));
        assertEquals(new UpstreamEvent.StatusLine("Formatting workflow..."), events.get(events.size() - 2));
        UpstreamEvent.Completed completed = (UpstreamEvent.Completed) events.get(events.size() - 1);
        assertEquals(completed.response(), text(events));
        assertEquals(((ProposedChange.WorkflowYaml) change).yaml(), completed.responseYaml());
    }

    @Test
    void multiByteTextSurvives() throws IOException {
        assertTrue(text(decodeFixture("job-chat-code")).endsWith("H\u00e9llo w\u00f6rld, na\u00efve caf\u00e9 \u2615 \u2014 non-ASCII text must survive byte splits."));
    }

    @Test
    void aDeltaThatIsNotJsonIsSkippedAndTheAnswerGoesOn() throws IOException {
        List<UpstreamEvent> events = decodeFixture("invalid-json-delta");
        assertEquals("Part one. Part two.", text(events));
        assertInstanceOf(UpstreamEvent.Completed.class, events.get(events.size() - 1));
    }

    @Test
    void changesThatAreNotJsonAreUnreadableNotFatal() throws IOException {
        List<UpstreamEvent> events = decodeFixture("invalid-json-changes");
        ProposedChange change = ((UpstreamEvent.ChangesArrived) events.get(0)).change();
        assertInstanceOf(ProposedChange.Unreadable.class, change);
    }

    @Test
    void codeEditsAreReadInOrder() throws IOException {
        ProposedChange change = ((UpstreamEvent.ChangesArrived) decodeFixture("job-chat-code-edits").get(1)).change();
        List<ProposedChange.CodeEdit> edits = ((ProposedChange.JobCodeEdits) change).edits();
        assertEquals(2, edits.size());
        assertEquals("get('/patients');", edits.get(0).oldCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"upstream quota exceeded\"", "42", "null", "[1,2]", "{\"detail\":\"x\"}", "not json"})
    void anErrorOfAnyShapeBecomesAFailure(String payload) {
        UpstreamEvent event = ApolloEventDecoder.decode(ANSWER, new ServerSentEvent("", "error", payload)).orElseThrow();
        UpstreamEvent.Failed failed = assertInstanceOf(UpstreamEvent.Failed.class, event);
        assertEquals(FailureCode.UPSTREAM_ERROR, failed.code());
        assertTrue(failed.message().contains(payload.startsWith("\"") ? "upstream quota exceeded" : payload),
                failed.message());
    }

    @Test
    void anApolloErrorNamesItsTypeAndRetryAfter() {
        UpstreamEvent.Failed failed = ApolloEventDecoder.error(
                "{\"code\":429,\"type\":\"RATE_LIMIT\",\"message\":\"Slow down\",\"details\":{\"retry_after\":30}}");
        assertEquals("Slow down (RATE_LIMIT, retry after 30 s)", failed.message());
    }

    @Test
    void aCompleteThatIsNotJsonIsAProtocolError() {
        UpstreamEvent event = ApolloEventDecoder.decode(ANSWER, new ServerSentEvent("", "complete", "{\"resp")).orElseThrow();
        assertEquals(FailureCode.UPSTREAM_PROTOCOL_ERROR, ((UpstreamEvent.Failed) event).code());
    }
}
