package io.assistantstream.chat.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.assistantstream.platform.Settings;
import io.assistantstream.platform.StreamSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.assistantstream.changes.control.ChangeService;
import io.assistantstream.changes.entity.ChangeKind;
import io.assistantstream.changes.entity.ChangeOutcome;
import io.assistantstream.changes.entity.ChangeStatus;
import io.assistantstream.chat.entity.ChatMessage;
import io.assistantstream.chat.entity.MessageStatus;
import io.assistantstream.stream.control.MemoryEventLog;
import io.assistantstream.stream.control.ReadingSubscriber;
import io.assistantstream.stream.entity.SequencedEvent;
import io.assistantstream.upstream.entity.AnswerRef;
import io.assistantstream.upstream.entity.FailureCode;
import io.assistantstream.upstream.entity.ProposedChange;
import io.assistantstream.upstream.entity.UpstreamEvent;
import io.assistantstream.upstream.entity.UpstreamSignal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The one mapping from upstream events to client events, without a container: stores and changes are stand-ins. */
class AnswerRelayTest {

    private static final AnswerRef ANSWER = new AnswerRef("s", "a1");

    private final List<String> stored = new ArrayList<>();
    private final List<ProposedChange> received = new ArrayList<>();
    private final List<String> published = new ArrayList<>();
    private final LiveAnswers live = new LiveAnswers();
    private boolean storeFails;

    private final ConversationStore store = new ConversationStore() {
        @Override
        public boolean isStreaming(String sessionId, String messageId) {
            return false;
        }

        @Override
        public ChatMessage completeAnswer(String messageId, String content, String usageJson, String metaJson,
                                          List<String> changeIds) {
            if (storeFails) {
                throw new IllegalStateException("the database went away");
            }
            stored.add("complete " + content + " " + changeIds);
            ChatMessage message = new ChatMessage(messageId, "s", 2, ChatMessage.ROLE_ASSISTANT, "",
                    MessageStatus.STREAMING, OffsetDateTime.now());
            message.complete(content, usageJson, metaJson, String.join(",", changeIds));
            return message;
        }

        @Override
        public void savePartial(String messageId, String content) {
            stored.add("partial '" + content + "'");
        }

        @Override
        public ChatMessage failAnswer(String messageId, MessageStatus status, String code, String reason,
                                      String partialContent) {
            stored.add(status.wireName() + " " + code + " '" + partialContent + "'");
            return null;
        }
    };

    /** Applies every workflow once, by content: the second delivery of the same YAML is a duplicate. */
    private final ChangeService changes = new ChangeService() {
        @Override
        public ChangeOutcome receive(AnswerRef context, ProposedChange change) {
            boolean repeat = received.contains(change);
            received.add(change);
            String yaml = ((ProposedChange.WorkflowYaml) change).yaml();
            return new ChangeOutcome("c1", ChangeKind.WORKFLOW, yaml, null, null, null,
                    repeat ? ChangeStatus.DUPLICATE : ChangeStatus.APPLIED, null);
        }
    };

    private final AnswerRelay relay;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    AnswerRelayTest() {
        StreamSettings stream = Settings.of("stream.replay-buffer-events=100",
                "stream.replay-max-events-total=1000",
                "stream.max-subscribers-per-session=10", "stream.max-subscribers=100", "stream.sender-threads=1",
                "stream.partial-save-millis=60000").stream();
        MemoryEventLog eventLog = new MemoryEventLog(stream, (sessionId, size) -> 0);
        eventLog.attach("s", new ReadingSubscriber(event -> published.add(event.name())), OptionalLong.empty());
        relay = new AnswerRelay(live, eventLog, changes, store, new AnswerMeters(registry), stream);
        live.add(new LiveAnswer("s", "a1"));
    }

    private void relay(UpstreamEvent... events) {
        for (UpstreamEvent event : events) {
            relay.onUpstream(new UpstreamSignal(ANSWER, event));
        }
    }

    @Test
    void anAnswerIsRelayedInOrderAndStoredBeforeItsCompletionIsAnnounced() {
        relay(new UpstreamEvent.StatusLine("Thinking"),
                new UpstreamEvent.ChangesArrived(new ProposedChange.WorkflowYaml("name: x")),
                new UpstreamEvent.TextDelta("Hello "),
                new UpstreamEvent.TextDelta("there"),
                new UpstreamEvent.Completed("Hello there", "name: x", null, null, null, null));
        assertEquals(List.of("status_update", "streaming_changes", "streaming_chunk", "streaming_chunk",
                "streaming_complete"), published, "the repeat of the change in complete is not announced");
        assertEquals(List.of("complete Hello there [c1]"), stored);
        assertTrue(live.find("a1").isEmpty(), "the answer left the live set");
    }

    @Test
    void aFailureStoresTheTextSoFarAndEndsTheAnswer() {
        relay(new UpstreamEvent.TextDelta("Half"), new UpstreamEvent.Failed(FailureCode.UPSTREAM_DISCONNECTED, "cut"));
        assertEquals(List.of("streaming_chunk", "streaming_error"), published);
        assertEquals(1, registry.counter("assistant_stream_answers", "outcome", "upstream_disconnected").count());
        assertEquals(1, registry.timer("assistant_stream_answer_duration").count());
        assertEquals(List.of("error upstream_disconnected 'Half'"), stored);
        assertTrue(live.find("a1").isEmpty());
    }

    @Test
    void theTextSoFarIsStoredWhenDueAndTheEndStillStoredWhole() {
        live.remove("a1");
        live.add(new LiveAnswer("s", "a1", System.nanoTime() - Duration.ofMinutes(2).toNanos()));
        relay(new UpstreamEvent.TextDelta("Half"), new UpstreamEvent.TextDelta(" more"),
                new UpstreamEvent.Completed("Half more", null, null, null, null, null));
        assertEquals(List.of("partial 'Half'", "complete Half more []"), stored,
                "a minute since the question: the first chunk's text is due, the next one's within the minute not");
    }

    @Test
    void aCancelIsStoredAsCancelled() {
        relay(new UpstreamEvent.Failed(FailureCode.CANCELLED, "The answer was cancelled"));
        assertEquals(List.of("cancelled cancelled ''"), stored);
    }

    @Test
    void aCompletionThatCannotBeStoredIsAnnouncedAsAFailure() {
        storeFails = true;
        relay(new UpstreamEvent.Completed("text", null, null, null, null, null));
        assertEquals(1, registry.counter("assistant_stream_answers", "outcome", "internal_error").count(),
                "counted as it ended, not as it began to end");
        assertEquals(0, registry.counter("assistant_stream_answers", "outcome", "complete").count());
        assertEquals(List.of("streaming_error"), published);
        assertTrue(live.find("a1").isEmpty(), "the session takes questions again");
    }

    @Test
    void eventsOfAnAnswerThatEndedAreDropped() {
        relay(new UpstreamEvent.Failed(FailureCode.UPSTREAM_TIMEOUT, "silent"), new UpstreamEvent.TextDelta("late"));
        assertEquals(List.of("streaming_error"), published);
    }
}
