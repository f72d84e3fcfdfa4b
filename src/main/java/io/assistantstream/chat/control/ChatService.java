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
import io.assistantstream.session.control.SessionChannels;
import io.assistantstream.session.entity.ClientEvent;
import io.assistantstream.upstream.control.ApolloClient;
import io.assistantstream.upstream.entity.AnswerRef;
import io.assistantstream.upstream.entity.AnswerRequest;
import io.assistantstream.upstream.entity.FailureCode;
import io.assistantstream.upstream.entity.UpstreamEvent;
import io.assistantstream.upstream.entity.UpstreamSignal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/** Sessions and questions: what the REST resources and the WebSocket endpoint ask for. */
@ApplicationScoped
public class ChatService {

    static final String DEFAULT_ADAPTOR = "@openfn/language-common@latest";
    private static final int TITLE_LIMIT = 200;

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

    public SessionView.Created createSession(JsonNode body) {
        String kind = requiredText(body, "kind");
        String title = optionalText(body, "title");
        if (title != null && title.length() > TITLE_LIMIT) {
            throw ProblemException.badRequest("title is longer than " + TITLE_LIMIT + " characters");
        }
        String token = access.issueToken();
        ChatSession session = new ChatSession(ConversationStore.newId(), kind, title, ConversationStore.now(),
                SessionAccess.hash(token));
        if (ChatSession.KIND_WORKFLOW.equals(kind)) {
            session.setWorkflowYaml(optionalText(body, "workflow_yaml"));
        } else if (ChatSession.KIND_JOB.equals(kind)) {
            JsonNode job = body.get("job");
            if (job == null || !job.isObject()) {
                throw ProblemException.badRequest("a job session needs a job object with name, adaptor and code");
            }
            String adaptor = optionalText(job, "adaptor");
            String code = optionalText(job, "code");
            session.setJob(requiredText(job, "name"), adaptor == null ? DEFAULT_ADAPTOR : adaptor,
                    code == null ? "" : code);
        } else {
            throw ProblemException.badRequest("kind must be \"workflow\" or \"job\", not \"" + kind + "\"");
        }
        store.createSession(session);
        return new SessionView.Created(session.getId(), kind, token, title, session.getCreatedAt().toString());
    }

    public SessionView view(String sessionId) {
        ChatSession session = store.session(sessionId);
        List<ClientEvent.MessageView> messages = store.messages(sessionId).stream().map(MessageViews::of).toList();
        long lastEventId = channels.lastId(sessionId);
        SessionView.Streaming streaming = liveAnswers.streamingMessageOf(sessionId)
                .map(messageId -> new SessionView.Streaming(messageId, lastEventId))
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
        String content = requiredText(body, "content");
        ChatSession session = store.session(sessionId);
        List<ChatMessage> earlier = store.messages(sessionId);
        ConversationStore.Exchange exchange = store.startExchange(sessionId, content);
        String answerId = exchange.answer().getId();
        channels.publish(new ClientEvent.MessageCreated(sessionId, MessageViews.of(exchange.question())));

        LiveAnswer answer = new LiveAnswer(sessionId, answerId);
        liveAnswers.add(answer);
        AnswerRef ref = new AnswerRef(sessionId, answerId);
        Optional<String> apolloUrl = upstream.apolloUrl();
        if (apolloUrl.isEmpty()) {
            signals.fire(new UpstreamSignal(ref, new UpstreamEvent.Failed(FailureCode.UPSTREAM_NOT_CONFIGURED,
                    "No AI service is configured; set APOLLO_URL (or demo.upstream.enabled=true for the demo)")));
        } else {
            String service = session.isWorkflow() ? "workflow_chat" : "job_chat";
            answer.call(apollo.start(new AnswerRequest(ref, service, apolloUrl.get(),
                    requestBody(session, earlier, content))));
        }
        return new SessionView.Posted(exchange.question().getId(), answerId);
    }

    public void cancel(String sessionId, String messageId) {
        store.session(sessionId);
        LiveAnswer answer = liveAnswers.find(messageId)
                .filter(live -> live.sessionId().equals(sessionId))
                .orElseThrow(() -> ProblemException.conflict("Message " + messageId
                        + " is not streaming in this session; there is nothing to cancel"));
        if (answer.call() != null) {
            answer.call().cancel();
        }
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
