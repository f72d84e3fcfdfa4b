package io.assistantstream.chat.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.assistantstream.chat.entity.ChatMessage;
import io.assistantstream.chat.entity.MessageStatus;
import io.assistantstream.platform.ApiSettings;
import io.assistantstream.platform.Json;
import io.assistantstream.platform.StreamSettings;
import io.assistantstream.platform.UpstreamSettings;
import io.assistantstream.session.control.SessionStore;
import io.assistantstream.session.entity.ChatSession;
import io.assistantstream.stream.control.SessionChannels;
import io.assistantstream.upstream.control.ApolloClient;
import io.assistantstream.upstream.control.UpstreamCall;
import io.assistantstream.upstream.entity.AnswerRequest;
import io.assistantstream.upstream.entity.UpstreamSignal;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** Asking a question, without a container: the stores, the locator and the AI client are stand-ins. */
class ChatServiceTest {

    private final List<String> failures = new ArrayList<>();
    private final ChatService chat = new ChatService();

    ChatServiceTest() {
        ChatSession session = new ChatSession("s", ChatSession.KIND_WORKFLOW, null, OffsetDateTime.now(), "hash");
        chat.sessions = new SessionStore() {
            @Override
            public ChatSession session(String id) {
                return session;
            }
        };
        chat.store = new ConversationStore() {
            @Override
            public List<ChatMessage> messages(String sessionId) {
                return List.of();
            }

            @Override
            public Exchange startExchange(String sessionId, String question) {
                return new Exchange(message("q1", ChatMessage.ROLE_USER, MessageStatus.COMPLETE),
                        message("a1", ChatMessage.ROLE_ASSISTANT, MessageStatus.STREAMING));
            }

            @Override
            public ChatMessage failAnswer(String messageId, MessageStatus status, String code, String reason,
                                          String partialContent) {
                failures.add(messageId + " " + code);
                return null;
            }
        };
        chat.settings = new ApiSettings(65536, 16000);
        chat.upstreamLimits = new UpstreamSettings(Optional.of("http://apollo:3000"), Optional.empty(),
                Duration.ofSeconds(10), Duration.ofSeconds(120), 1 << 20, 8 << 20, Duration.ofSeconds(600));
        chat.channels = new SessionChannels(new StreamSettings(100, Duration.ofMinutes(10), 1000, 100, 10, 100, 1,
                Duration.ofSeconds(15), Duration.ofSeconds(1)), (sessionId, size) -> 0);
        chat.liveAnswers = new LiveAnswers();
        chat.upstream = new UpstreamLocator() {
            @Override
            public Optional<String> apolloUrl() {
                return Optional.of("http://apollo:3000");
            }
        };
        AnswerRelay relay = new AnswerRelay(chat.liveAnswers, chat.channels, null, chat.store);
        chat.signals = relaying(relay);
    }

    private static ChatMessage message(String id, String role, MessageStatus status) {
        return new ChatMessage(id, "s", 1, role, "hi", status.wireName(), OffsetDateTime.now());
    }

    @Test
    void aStartThatThrowsEndsTheAnswerSoTheSessionTakesQuestionsAgain() {
        chat.apollo = new ApolloClient() {
            @Override
            public UpstreamCall start(AnswerRequest request) {
                throw new IllegalStateException("no thread to read the answer on");
            }
        };
        chat.ask("s", Json.object().put("content", "Run it every morning"));
        assertEquals(List.of("a1 internal_error"), failures, "the answer is stored as failed");
        assertTrue(chat.liveAnswers.ofSession("s").isEmpty(), "and is no longer live");
    }

    @Test
    void theAnswerInFlightNamesTheFirstEventOfItsExchange() {
        List<AnswerRequest> sent = new ArrayList<>();
        chat.apollo = new ApolloClient() {
            @Override
            public UpstreamCall start(AnswerRequest request) {
                sent.add(request);
                return new UpstreamCall(request.answer());
            }
        };
        chat.ask("s", Json.object().put("content", "Run it every morning"));
        LiveAnswer live = chat.liveAnswers.ofSession("s").orElseThrow();
        assertEquals(chat.channels.lastId("s"), live.firstEventId(), "the question's message_created");
        assertEquals("workflow_chat", sent.get(0).service());
        assertEquals("Run it every morning", sent.get(0).body().path("content").asText());
    }

    /** Fires each signal at the relay, as CDI does for its one synchronous observer. */
    private static Event<UpstreamSignal> relaying(AnswerRelay relay) {
        return new Event<>() {
            @Override
            public void fire(UpstreamSignal signal) {
                relay.onUpstream(signal);
            }

            @Override
            public <U extends UpstreamSignal> CompletionStage<U> fireAsync(U event) {
                throw new UnsupportedOperationException();
            }

            @Override
            public <U extends UpstreamSignal> CompletionStage<U> fireAsync(U event, NotificationOptions options) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Event<UpstreamSignal> select(Annotation... qualifiers) {
                throw new UnsupportedOperationException();
            }

            @Override
            public <U extends UpstreamSignal> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
                throw new UnsupportedOperationException();
            }

            @Override
            public <U extends UpstreamSignal> Event<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
