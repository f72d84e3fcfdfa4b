package io.assistantstream.chat.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.assistantstream.caller.control.CallerQuotas;
import io.assistantstream.caller.control.RateQuotas;
import io.assistantstream.chat.entity.ChatMessage;
import io.assistantstream.chat.entity.Question;
import io.assistantstream.chat.entity.SessionView;
import io.assistantstream.delivery.control.Questions;
import io.assistantstream.platform.Lifecycle;
import io.assistantstream.platform.ApiSettings;
import io.assistantstream.platform.ProblemException;
import io.assistantstream.session.control.SessionStore;
import io.assistantstream.session.entity.ChatSession;
import io.assistantstream.stream.control.EventLog;
import io.assistantstream.stream.control.Nodes;
import io.assistantstream.stream.control.SessionSignals;
import io.assistantstream.stream.entity.ClientEvent;
import io.assistantstream.upstream.entity.AnswerRef;
import io.assistantstream.upstream.entity.FailureCode;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/** Questions asked and answers cancelled: what the REST resources and the WebSocket endpoint ask for. */
@ApplicationScoped
public class ChatService implements Questions {

    private static final Logger LOG = Logger.getLogger(ChatService.class.getName());
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(3);
    private static final String CANCEL = "cancel ";

    @Inject
    ConversationStore store;

    @Inject
    SessionStore sessions;

    @Inject
    EventLog eventLog;

    @Inject
    LiveAnswers liveAnswers;

    @Inject
    SessionSignals sessionSignals;

    @Inject
    Nodes nodes;

    @Inject
    ApiSettings settings;

    @Inject
    CallerQuotas quotas;

    @Inject
    AnswerStarter starter;

    @Inject
    Lifecycle lifecycle;

    @Override
    public void post(String sessionId, JsonNode body) {
        ask(sessionId, body);
    }

    /** Stores the question, tells every subscriber, and starts streaming the answer. */
    public SessionView.Posted ask(String sessionId, JsonNode body) {
        if (lifecycle.draining()) {
            throw ProblemException.unavailable("This server is stopping and takes no new questions; ask again, "
                    + "another server takes it", Lifecycle.RETRY_AFTER_SECONDS);
        }
        ChatSession session = sessions.session(sessionId);
        Question question = QuestionBodies.read(body, session.getKind(), settings);
        List<ChatMessage> earlier = store.messages(sessionId);
        // Decided before the exchange's transaction (no Redis round trip under the session's row lock); the
        // question is given back when the answer is refused (the streaming-answers quota, 409 while another streams).
        RateQuotas.Taken spent = quotas.spendQuestion(session.quotaHolder());
        ConversationStore.Exchange exchange;
        try {
            quotas.allowAnotherStreamingAnswer(store.streamingAnswersOf(session.quotaHolder()));
            exchange = store.startExchange(sessionId, question.content(), nodes.self());
        } catch (RuntimeException refused) {
            spent.giveBack();
            throw refused;
        }
        String answerId = exchange.answer().getId();
        long questionEventId = eventLog.publish(
                new ClientEvent.MessageCreated(sessionId, MessageViews.of(exchange.question()))).id();
        store.streamFrom(answerId, nodes.self(), questionEventId);

        LiveAnswer answer = new LiveAnswer(sessionId, answerId);
        liveAnswers.add(answer);
        AnswerRef ref = new AnswerRef(sessionId, answerId);
        starter.start(session, earlier, question, answer, ref);
        return new SessionView.Posted(exchange.question().getId(), answerId);
    }

    /**
     * At shutdown every answer still streaming ends as {@code server_stopping}, stored and announced by its own
     * reader, rather than left {@code streaming}. Readers get a moment to finish; a restart marks any left over.
     */
    @PreDestroy
    void stopAnswers() {
        liveAnswers.all().forEach(answer -> answer.abort(FailureCode.SERVER_STOPPING));
        long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
        while (!liveAnswers.all().isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Cancels the answer here when this server reads it, otherwise asks every server to (the reader will). */
    public void cancel(String sessionId, String messageId) {
        sessions.session(sessionId);
        Optional<LiveAnswer> here = liveAnswers.find(messageId).filter(live -> live.sessionId().equals(sessionId));
        if (here.isPresent()) {
            here.get().cancel();
        } else if (store.isStreaming(sessionId, messageId)) {
            sessionSignals.send(sessionId, CANCEL + messageId);
        } else {
            throw ProblemException.conflict("Message " + messageId
                    + " is not streaming in this session; there is nothing to cancel");
        }
    }

    /** From start-up on, this server acts on the cancels other servers pass on. */
    void listen(@Observes @Initialized(ApplicationScoped.class) Object start) {
        sessionSignals.onSignal(this::onSignal);
    }

    /** A signal from any server: a cancel for an answer this server reads. */
    void onSignal(String sessionId, String signal) {
        if (signal.startsWith(CANCEL)) {
            String messageId = signal.substring(CANCEL.length());
            liveAnswers.find(messageId).filter(live -> live.sessionId().equals(sessionId)).ifPresent(answer -> {
                LOG.info(() -> "Answer " + messageId + " of session " + sessionId + " is cancelled at another server's request");
                answer.cancel();
            });
        }
    }
}
