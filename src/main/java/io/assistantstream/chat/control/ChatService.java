package io.assistantstream.chat.control;

import io.assistantstream.caller.control.RateQuotas;
import io.assistantstream.caller.entity.Caller;
import io.assistantstream.caller.entity.Quota;
import com.fasterxml.jackson.databind.JsonNode;
import io.assistantstream.changes.control.ChangeService;
import io.assistantstream.chat.entity.ChatMessage;
import io.assistantstream.session.entity.ChatSession;
import io.assistantstream.session.entity.SessionKind;
import io.assistantstream.session.entity.SessionRole;
import io.assistantstream.chat.entity.MessageStatus;
import io.assistantstream.chat.entity.Question;
import io.assistantstream.chat.entity.SessionView;
import io.assistantstream.delivery.control.Questions;
import static io.assistantstream.platform.JsonBodies.onlyKnownFields;
import static io.assistantstream.platform.JsonBodies.optionalText;
import static io.assistantstream.platform.JsonBodies.requiredText;
import io.assistantstream.session.control.SessionAccess;
import io.assistantstream.session.control.SessionStore;
import io.assistantstream.platform.ProblemException;
import io.assistantstream.platform.ApiSettings;
import io.assistantstream.platform.Timestamps;
import io.assistantstream.platform.UpstreamSettings;
import io.assistantstream.stream.control.EventLog;
import io.assistantstream.stream.control.Nodes;
import io.assistantstream.stream.control.SessionSignals;
import io.assistantstream.stream.entity.ClientEvent;
import io.assistantstream.upstream.control.ApolloClient;
import io.assistantstream.upstream.entity.AnswerRef;
import io.assistantstream.upstream.control.ApolloRequests;
import io.assistantstream.upstream.entity.ApolloQuestion;
import io.assistantstream.upstream.entity.FailureCode;
import io.assistantstream.upstream.entity.UpstreamEvent;
import io.assistantstream.upstream.entity.UpstreamSignal;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Sessions and questions: what the REST resources and the WebSocket endpoint ask for. */
@ApplicationScoped
public class ChatService implements Questions {

    static final String DEFAULT_ADAPTOR = "@openfn/language-common@latest";
    private static final int TITLE_LIMIT = 200;
    private static final int JOB_NAME_LIMIT = 200;
    private static final Set<String> SESSION_FIELDS = Set.of("kind", "title", "workflow_yaml", "job");
    private static final Set<String> JOB_FIELDS = Set.of("name", "adaptor", "code");
    private static final Logger LOG = Logger.getLogger(ChatService.class.getName());
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(3);
    private static final String CANCEL = "cancel ";

    @Inject
    ConversationStore store;

    @Inject
    SessionStore sessions;

    @Inject
    UpstreamSettings upstreamLimits;

    @Inject
    EventLog eventLog;

    @Inject
    LiveAnswers liveAnswers;

    @Inject
    SessionSignals sessionSignals;

    @Inject
    Nodes nodes;

    @Inject
    ApolloClient apollo;

    @Inject
    UpstreamLocator upstream;

    @Inject
    Event<UpstreamSignal> signals;

    @Inject
    ChangeService changes;

    @Inject
    SessionAccess access;

    @Inject
    ApiSettings settings;

    @Inject
    RateQuotas rateQuotas;

    /** A new session owned by {@code caller}, who spends one of its sessions quota on it. */
    public SessionView.Created createSession(JsonNode body, Caller caller) {
        onlyKnownFields(body, SESSION_FIELDS, "");
        String kindName = requiredText(body, "kind");
        SessionKind kind = SessionKind.fromWire(kindName).orElseThrow(() ->
                ProblemException.badRequest("kind must be \"workflow\", \"job\" or \"global\", not \"" + kindName + "\""));
        String title = optionalText(body, "title");
        if (title != null && title.length() > TITLE_LIMIT) {
            throw ProblemException.badRequest("title is longer than " + TITLE_LIMIT + " characters");
        }
        rateQuotas.take(Quota.SESSIONS, caller.id());
        String token = access.issueToken();
        ChatSession session = new ChatSession(ConversationStore.newId(), kind, title, Timestamps.now(),
                SessionAccess.hash(token), caller.id());
        if (kind.holdsWorkflow()) {
            // A global session's workflow carries every step's code in its jobs' body fields.
            session.setWorkflowYaml(optionalText(body, "workflow_yaml"));
        } else {
            JsonNode job = body.get("job");
            if (job == null || !job.isObject()) {
                throw ProblemException.badRequest("a job session needs a job object with name, adaptor and code");
            }
            onlyKnownFields(job, JOB_FIELDS, "job.");
            String name = requiredText(job, "name");
            String adaptor = optionalText(job, "adaptor");
            String code = optionalText(job, "code");
            if (name.length() > JOB_NAME_LIMIT || adaptor != null && adaptor.length() > JOB_NAME_LIMIT) {
                throw ProblemException.badRequest("job.name and job.adaptor are at most " + JOB_NAME_LIMIT + " characters");
            }
            session.setJob(name, adaptor == null ? DEFAULT_ADAPTOR : adaptor, code == null ? "" : code);
        }
        sessions.create(session);
        return new SessionView.Created(session.getId(), kind, token, title, session.getCreatedAt().toString());
    }

    /** The caller's sessions, newest first (at most {@code SessionStore.LIST_LIMIT}). */
    public List<SessionView.Listed> sessionsOf(Caller caller) {
        return sessions.ownedBy(caller.id()).stream()
                .map(s -> new SessionView.Listed(s.getId(), s.getKind(), s.getTitle(), s.getCreatedAt().toString()))
                .toList();
    }

    /**
     * The session as stored. The last event id is read before the messages: an event published between the two
     * reads is then both in the view and after the id, so a client resuming from the id sees it again (and drops
     * it as seen) rather than never.
     */
    public SessionView view(String sessionId, SessionRole access) {
        long lastEventId = eventLog.lastId(sessionId);
        ChatSession session = sessions.session(sessionId);
        List<ChatMessage> stored = store.messages(sessionId);
        List<ClientEvent.MessageView> messages = stored.stream().map(MessageViews::of).toList();
        // Read from the database, not from this server's live answers: the answer may stream on another server.
        SessionView.Streaming streaming = stored.stream()
                .filter(message -> message.getStatus() == MessageStatus.STREAMING)
                .findFirst()
                .map(answer -> new SessionView.Streaming(answer.getId(), lastEventId, firstEventId(answer, lastEventId)))
                .orElse(null);
        SessionView.Job job = session.holdsWorkflow() ? null
                : new SessionView.Job(session.getJobName(), session.getJobAdaptor(), session.getJobCode());
        return new SessionView(session.getId(), session.getKind(), session.getTitle(),
                session.getCreatedAt().toString(), session.getWorkflowYaml(), job, messages, changes.ofSession(sessionId),
                streaming, lastEventId, access);
    }

    /** Until the question's event id is stored, everything after {@code lastEventId} covers the exchange. */
    private static long firstEventId(ChatMessage answer, long lastEventId) {
        Long first = answer.getFirstEventId();
        return first == null || first == 0 ? lastEventId + 1 : first;
    }

    @Override
    public void post(String sessionId, JsonNode body) {
        ask(sessionId, body);
    }

    /** Stores the question, tells every subscriber, and starts streaming the answer. */
    public SessionView.Posted ask(String sessionId, JsonNode body) {
        ChatSession session = sessions.session(sessionId);
        Question question = QuestionBodies.read(body, session.getKind(), settings);
        List<ChatMessage> earlier = store.messages(sessionId);
        // Spent outside the exchange's transaction (no Redis round trip under the session's row lock), and given
        // back when the exchange is refused (409 while another answer streams, the streaming-answers quota).
        RateQuotas.Taken spent = rateQuotas.take(Quota.QUESTIONS, session.quotaHolder());
        ConversationStore.Exchange exchange;
        try {
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
        Optional<String> apolloUrl = upstream.apolloUrl();
        if (apolloUrl.isEmpty()) {
            signals.fire(new UpstreamSignal(ref, new UpstreamEvent.Failed(FailureCode.UPSTREAM_NOT_CONFIGURED,
                    FailureCode.UPSTREAM_NOT_CONFIGURED.message(upstreamLimits))));
        } else {
            startUpstream(UpstreamQuestions.of(session, earlier, question), answer, ref, apolloUrl.get());
        }
        return new SessionView.Posted(exchange.question().getId(), answerId);
    }

    /**
     * A start that throws (the request cannot be built or sent) ends the answer like any failure, stored and
     * announced, so the session takes questions again instead of answering 409 until a restart.
     */
    private void startUpstream(ApolloQuestion question, LiveAnswer answer, AnswerRef ref, String apolloUrl) {
        try {
            answer.call(apollo.start(ApolloRequests.of(ref, apolloUrl, question)));
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Could not start answer " + ref.messageId() + " of session " + ref.sessionId()
                    + " (" + apolloUrl + "); it ended as internal_error. Check apollo.url and the cause below", e);
            signals.fire(new UpstreamSignal(ref, new UpstreamEvent.Failed(FailureCode.INTERNAL_ERROR,
                    "The question could not be sent to the AI service; try again")));
        }
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
