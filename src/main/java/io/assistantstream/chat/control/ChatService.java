package io.assistantstream.chat.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assistantstream.changes.control.ChangeService;
import io.assistantstream.chat.entity.ChatMessage;
import io.assistantstream.chat.entity.ChatSession;
import io.assistantstream.chat.entity.MessageStatus;
import io.assistantstream.chat.entity.SessionView;
import io.assistantstream.platform.Json;
import io.assistantstream.platform.ProblemException;
import io.assistantstream.platform.RelaySettings;
import io.assistantstream.platform.Timestamps;
import io.assistantstream.session.control.SessionChannels;
import io.assistantstream.session.entity.ClientEvent;
import io.assistantstream.upstream.control.ApolloClient;
import io.assistantstream.upstream.entity.AnswerRef;
import io.assistantstream.upstream.entity.AnswerRequest;
import io.assistantstream.upstream.entity.FailureCode;
import io.assistantstream.upstream.entity.UpstreamEvent;
import io.assistantstream.upstream.entity.UpstreamSignal;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
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
public class ChatService {

    static final String DEFAULT_ADAPTOR = "@openfn/language-common@latest";
    private static final int TITLE_LIMIT = 200;
    private static final int JOB_NAME_LIMIT = 200;
    private static final Set<String> SESSION_FIELDS = Set.of("kind", "title", "workflow_yaml", "job");
    private static final Set<String> JOB_FIELDS = Set.of("name", "adaptor", "code");
    private static final Set<String> MESSAGE_FIELDS = Set.of("content");
    private static final Logger LOG = Logger.getLogger(ChatService.class.getName());
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(3);

    @Inject
    ConversationStore store;

    @Inject
    SessionChannels channels;

    @Inject
    LiveAnswers liveAnswers;

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
    RelaySettings settings;

    public SessionView.Created createSession(JsonNode body) {
        onlyKnownFields(body, SESSION_FIELDS, "");
        String kind = requiredText(body, "kind");
        String title = optionalText(body, "title");
        if (title != null && title.length() > TITLE_LIMIT) {
            throw ProblemException.badRequest("title is longer than " + TITLE_LIMIT + " characters");
        }
        String token = access.issueToken();
        ChatSession session = new ChatSession(ConversationStore.newId(), kind, title, Timestamps.now(),
                SessionAccess.hash(token));
        if (ChatSession.KIND_WORKFLOW.equals(kind)) {
            session.setWorkflowYaml(optionalText(body, "workflow_yaml"));
        } else if (ChatSession.KIND_JOB.equals(kind)) {
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
        } else {
            throw ProblemException.badRequest("kind must be \"workflow\" or \"job\", not \"" + kind + "\"");
        }
        store.createSession(session);
        return new SessionView.Created(session.getId(), kind, token, title, session.getCreatedAt().toString());
    }

    /**
     * The session as stored. The last event id is read before the messages: an event published between the two
     * reads is then both in the view and after the id, so a client resuming from the id sees it again (and drops
     * it as seen) rather than never.
     */
    public SessionView view(String sessionId) {
        long lastEventId = channels.lastId(sessionId);
        Optional<LiveAnswer> inFlight = liveAnswers.ofSession(sessionId);
        ChatSession session = store.session(sessionId);
        List<ClientEvent.MessageView> messages = store.messages(sessionId).stream().map(MessageViews::of).toList();
        SessionView.Streaming streaming = inFlight
                .map(answer -> new SessionView.Streaming(answer.messageId(), lastEventId, answer.firstEventId()))
                .orElse(null);
        SessionView.Job job = session.isWorkflow() ? null
                : new SessionView.Job(session.getJobName(), session.getJobAdaptor(), session.getJobCode());
        return new SessionView(session.getId(), session.getKind(), session.getTitle(),
                session.getCreatedAt().toString(), session.getWorkflowYaml(), job, messages, changes.ofSession(sessionId),
                streaming,
                lastEventId);
    }

    /** Stores the question, tells every subscriber, and starts streaming the answer. */
    public SessionView.Posted ask(String sessionId, JsonNode body) {
        onlyKnownFields(body, MESSAGE_FIELDS, "");
        String content = requiredText(body, "content");
        if (content.length() > settings.maxMessageChars()) {
            LOG.info(() -> "Refused a question of " + content.length() + " characters in session " + sessionId
                    + " (api.max-message-chars is " + settings.maxMessageChars() + ")");
            throw new ProblemException(413, "Content Too Large", "content is longer than "
                    + settings.maxMessageChars() + " characters; shorten the question");
        }
        ChatSession session = store.session(sessionId);
        List<ChatMessage> earlier = store.messages(sessionId);
        ConversationStore.Exchange exchange = store.startExchange(sessionId, content);
        String answerId = exchange.answer().getId();
        long questionEventId = channels.publish(
                new ClientEvent.MessageCreated(sessionId, MessageViews.of(exchange.question()))).id();

        LiveAnswer answer = new LiveAnswer(sessionId, answerId, questionEventId);
        liveAnswers.add(answer);
        AnswerRef ref = new AnswerRef(sessionId, answerId);
        Optional<String> apolloUrl = upstream.apolloUrl();
        if (apolloUrl.isEmpty()) {
            signals.fire(new UpstreamSignal(ref, new UpstreamEvent.Failed(FailureCode.UPSTREAM_NOT_CONFIGURED,
                    "No AI service is configured; set APOLLO_URL (or demo.upstream.enabled=true for the demo)")));
        } else {
            startUpstream(session, earlier, content, answer, ref, apolloUrl.get());
        }
        return new SessionView.Posted(exchange.question().getId(), answerId);
    }

    /**
     * A start that throws (the request cannot be built or sent) ends the answer like any failure, stored and
     * announced, so the session takes questions again instead of answering 409 until a restart.
     */
    private void startUpstream(ChatSession session, List<ChatMessage> earlier, String content, LiveAnswer answer,
                               AnswerRef ref, String apolloUrl) {
        String service = session.isWorkflow() ? "workflow_chat" : "job_chat";
        try {
            answer.call(apollo.start(new AnswerRequest(ref, service, apolloUrl,
                    requestBody(session, earlier, content))));
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

    public void cancel(String sessionId, String messageId) {
        store.session(sessionId);
        LiveAnswer answer = liveAnswers.find(messageId)
                .filter(live -> live.sessionId().equals(sessionId))
                .orElseThrow(() -> ProblemException.conflict("Message " + messageId
                        + " is not streaming in this session; there is nothing to cancel"));
        answer.cancel();
    }

    /** The body Apollo's job_chat or workflow_chat expects; null fields are left out. */
    private static ObjectNode requestBody(ChatSession session, List<ChatMessage> earlier, String content) {
        ObjectNode body = Json.object().put("content", content);
        ArrayNode history = body.putArray("history");
        JsonNode meta = Json.object();
        for (ChatMessage message : earlier) {
            if (MessageStatus.COMPLETE.wireName().equals(message.getStatus())) {
                history.addObject().put("role", message.getRole()).put("content", message.getContent());
                if (message.getMetaJson() != null) {
                    meta = Json.readStored(message.getMetaJson());
                }
            }
        }
        if (session.isWorkflow()) {
            if (session.getWorkflowYaml() != null) {
                body.put("existing_yaml", session.getWorkflowYaml());
            }
        } else {
            body.putObject("context")
                    .put("expression", session.getJobCode())
                    .put("adaptor", session.getJobAdaptor())
                    .put("page_name", session.getJobName());
            body.put("suggest_code", true);
        }
        body.set("meta", meta.isObject() ? meta : Json.object());
        body.put("stream", true);
        return body;
    }

    private static void onlyKnownFields(JsonNode body, Set<String> known, String prefix) {
        body.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field)) {
                throw ProblemException.badRequest("Unknown field " + prefix + field + "; expected "
                        + known.stream().sorted().map(name -> prefix + name).toList());
            }
        });
    }

    private static String requiredText(JsonNode body, String field) {
        String value = optionalText(body, field);
        if (value == null || value.isBlank()) {
            throw ProblemException.badRequest(field + " is required and must be a non-empty string");
        }
        return value;
    }

    private static String optionalText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ProblemException.badRequest(field + " must be a string");
        }
        return value.asText();
    }
}
