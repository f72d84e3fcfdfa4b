package io.assistantstream.chat.control;

import static io.assistantstream.platform.JsonBodies.onlyKnownFields;
import static io.assistantstream.platform.JsonBodies.optionalText;
import static io.assistantstream.platform.JsonBodies.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import io.assistantstream.caller.control.CallerQuotas;
import io.assistantstream.caller.entity.Caller;
import io.assistantstream.changes.control.ChangeService;
import io.assistantstream.chat.entity.ChatMessage;
import io.assistantstream.chat.entity.MessageStatus;
import io.assistantstream.chat.entity.SessionView;
import io.assistantstream.platform.ProblemException;
import io.assistantstream.platform.Timestamps;
import io.assistantstream.session.control.SessionAccess;
import io.assistantstream.session.control.SessionStore;
import io.assistantstream.session.entity.ChatSession;
import io.assistantstream.session.entity.SessionKind;
import io.assistantstream.session.entity.SessionRole;
import io.assistantstream.stream.control.EventLog;
import io.assistantstream.stream.entity.ClientEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;

/** Sessions: created by a caller, listed for it, and read back as stored with where their events stand. */
@ApplicationScoped
public class SessionCatalog {

    private static final String DEFAULT_ADAPTOR = "@openfn/language-common@latest";
    private static final int TITLE_LIMIT = 200;
    private static final int JOB_NAME_LIMIT = 200;
    private static final Set<String> SESSION_FIELDS = Set.of("kind", "title", "workflow_yaml", "job");
    private static final Set<String> JOB_FIELDS = Set.of("name", "adaptor", "code");

    @Inject
    SessionStore sessions;

    @Inject
    ConversationStore store;

    @Inject
    EventLog eventLog;

    @Inject
    ChangeService changes;

    @Inject
    SessionAccess access;

    @Inject
    CallerQuotas quotas;

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
        quotas.spendSession(caller.id());
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
}
