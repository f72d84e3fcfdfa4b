package io.assistantstream.chat.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.assistantstream.caller.control.CallerQuotas;
import io.assistantstream.caller.control.RateQuotas;
import io.assistantstream.platform.RedisPools;
import io.assistantstream.platform.Lifecycle;
import io.assistantstream.platform.Settings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.assistantstream.chat.entity.ChatMessage;
import io.assistantstream.chat.entity.MessageStatus;
import io.assistantstream.platform.Json;
import io.assistantstream.session.control.SessionStore;
import io.assistantstream.session.entity.ChatSession;
import io.assistantstream.session.entity.SessionKind;
import io.assistantstream.stream.control.MemoryEventLog;
import io.assistantstream.upstream.control.ApolloClient;
import io.assistantstream.upstream.control.UpstreamCall;
import io.assistantstream.upstream.entity.AnswerRequest;
import io.assistantstream.upstream.entity.FailureCode;
import io.assistantstream.platform.ProblemException;
import io.assistantstream.stream.control.SessionSignals;
import io.assistantstream.testing.SyncEvent;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** Asking a question, without a container: the stores, the locator and the AI client are stand-ins. */
class ChatServiceTest {

    private final List<String> failures = new ArrayList<>();
    private boolean busy;
    private long streamingOfOwner;
    private final List<String> recorded = new ArrayList<>();
    private final List<String> signalsSent = new ArrayList<>();
    private final MemoryEventLog log = new MemoryEventLog(Settings.of("stream.replay-buffer-events=100",
            "stream.replay-max-events-total=1000",
            "stream.max-subscribers-per-session=10", "stream.max-subscribers=100", "stream.sender-threads=1").stream(), (sessionId, size) -> 0);
    private final ChatService chat = new ChatService();

    ChatServiceTest() {
        ChatSession session = new ChatSession("s", SessionKind.WORKFLOW, null, OffsetDateTime.now(), "hash", "owner");
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
            public long streamingAnswersOf(String owner) {
                return streamingOfOwner;
            }

            @Override
            public Exchange startExchange(String sessionId, String question, String nodeId) {
                if (busy) {
                    throw ProblemException.conflict("Another answer of this session is still streaming");
                }
                return new Exchange(message("q1", ChatMessage.ROLE_USER, MessageStatus.COMPLETE),
                        message("a1", ChatMessage.ROLE_ASSISTANT, MessageStatus.STREAMING));
            }

            @Override
            public ChatMessage failAnswer(String messageId, MessageStatus status, String code, String reason,
                                          String partialContent) {
                failures.add(messageId + " " + code);
                return null;
            }

            @Override
            public void streamFrom(String messageId, String nodeId, long questionEventId) {
                recorded.add(messageId + " on " + nodeId + " from " + questionEventId);
            }

            @Override
            public boolean isStreaming(String sessionId, String messageId) {
                return "elsewhere".equals(messageId);
            }
        };
        Settings.Read settings = Settings.of("quota.questions=1", "quota.streaming-answers=1");
        chat.quotas = new CallerQuotas(settings.quotas(),
                new RateQuotas(settings.quotas(), settings.redis(), new RedisPools(settings.redis())));
        chat.settings = settings.api();
        chat.lifecycle = new Lifecycle();
        chat.starter = new AnswerStarter();
        Settings.Read asked = Settings.of("apollo.url=http://apollo:3000");
        chat.starter.upstreamLimits = asked.upstream();
        chat.starter.model = asked.model();
        chat.eventLog = log;
        chat.nodes = log;
        chat.sessionSignals = new SessionSignals() {
            @Override
            public void send(String sessionId, String signal) {
                signalsSent.add(sessionId + " " + signal);
            }

            @Override
            public void onSignal(BiConsumer<String, String> handler) {
            }
        };
        chat.liveAnswers = new LiveAnswers();
        chat.starter.upstream = new UpstreamLocator() {
            @Override
            public Optional<String> apolloUrl() {
                return Optional.of("http://apollo:3000");
            }
        };
        AnswerRelay relay = new AnswerRelay(chat.liveAnswers, chat.eventLog, null, chat.store,
                new AnswerMeters(new SimpleMeterRegistry()), settings.stream());
        chat.starter.signals = new SyncEvent<>(relay::onUpstream);
    }

    private static ChatMessage message(String id, String role, MessageStatus status) {
        return new ChatMessage(id, "s", 1, role, "hi", status, OffsetDateTime.now());
    }

    @Test
    void aStartThatThrowsEndsTheAnswerSoTheSessionTakesQuestionsAgain() {
        chat.starter.apollo = new ApolloClient() {
            @Override
            public UpstreamCall start(AnswerRequest request) {
                throw new IllegalStateException("no thread to read the answer on");
            }
        };
        chat.ask("s", Json.object().put("content", "Run it every morning"));
        assertEquals(List.of("a1 internal_error"), failures, "the answer is stored as failed");
        assertTrue(chat.liveAnswers.all().isEmpty(), "and is no longer live");
    }

    @Test
    void theAnswerInFlightNamesTheFirstEventOfItsExchange() {
        List<AnswerRequest> sent = new ArrayList<>();
        chat.starter.apollo = new ApolloClient() {
            @Override
            public UpstreamCall start(AnswerRequest request) {
                sent.add(request);
                return new UpstreamCall(request.answer());
            }
        };
        chat.ask("s", Json.object().put("content", "Run it every morning"));
        assertEquals(List.of("a1 on " + log.self() + " from " + chat.eventLog.lastId("s")), recorded,
                "the question's message_created, stored so a client on any server resumes the answer from its start");
        assertEquals("workflow_chat", sent.get(0).service());
        assertEquals("Run it every morning", sent.get(0).body().path("content").asText());
    }

    @Test
    void aCancelForAnAnswerReadElsewhereIsPassedOnAndOneForNoAnswerIsAConflict() {
        chat.cancel("s", "elsewhere");
        assertEquals(List.of("s cancel elsewhere"), signalsSent);
        ProblemException none = assertThrows(ProblemException.class, () -> chat.cancel("s", "finished"));
        assertEquals(409, none.status());
    }

    @Test
    void aCancelSignalCancelsTheAnswerThisServerReads() {
        List<UpstreamCall> calls = new ArrayList<>();
        chat.starter.apollo = new ApolloClient() {
            @Override
            public UpstreamCall start(AnswerRequest request) {
                calls.add(new UpstreamCall(request.answer()));
                return calls.get(0);
            }
        };
        chat.ask("s", Json.object().put("content", "Run it every morning"));
        chat.onSignal("other-session", "cancel a1");
        assertNull(calls.get(0).abortReason(), "a signal names its session");
        chat.onSignal("s", "cancel a1");
        assertEquals(FailureCode.CANCELLED, calls.get(0).abortReason(), "cancelled at the other server's request");
    }

    @Test
    void aQuestionRefusedAsBusyCostsNoQuestionOfTheQuota() {
        answerEveryQuestion();
        busy = true;
        for (int i = 0; i < 3; i++) {
            assertEquals(409, assertThrows(ProblemException.class,
                    () -> chat.ask("s", Json.object().put("content", "hi"))).status());
        }
        busy = false;
        chat.ask("s", Json.object().put("content", "hi"));
        ProblemException spent = assertThrows(ProblemException.class, () -> chat.ask("s", Json.object().put("content", "again")));
        assertEquals(429, spent.status(), "the one question of the window went to the answer that was taken");
    }

    @Test
    void anAnswerOverTheStreamingQuotaIsRefusedBeforeTheExchangeAndCostsNoQuestion() {
        answerEveryQuestion();
        streamingOfOwner = 1;
        ProblemException refused = assertThrows(ProblemException.class,
                () -> chat.ask("s", Json.object().put("content", "hi")));
        assertEquals(429, refused.status());
        assertEquals("streaming_answers", refused.quota());
        assertEquals(List.of(), recorded, "nothing stored");
        streamingOfOwner = 0;
        chat.ask("s", Json.object().put("content", "hi"));
        assertEquals(1, recorded.size(), "the window's one question was still there: " + recorded);
    }

    private void answerEveryQuestion() {
        chat.starter.apollo = new ApolloClient() {
            @Override
            public UpstreamCall start(AnswerRequest request) {
                return new UpstreamCall(request.answer());
            }
        };
    }
}
