package io.assistantstream.chat.control;

import io.assistantstream.chat.entity.ChatMessage;
import io.assistantstream.chat.entity.MessageStatus;
import io.assistantstream.upstream.entity.FailureCode;
import io.assistantstream.platform.ProblemException;
import io.assistantstream.platform.Timestamps;
import io.assistantstream.session.control.SessionStore;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Every read and write of a session's messages, each call one transaction. */
@Stateless
public class ConversationStore {

    @PersistenceContext(unitName = "assistant-stream")
    EntityManager em;

    @Inject
    SessionStore sessions;

    /** A user's question and the assistant's answer-to-be, stored together so the pair is never half there. */
    public record Exchange(ChatMessage question, ChatMessage answer) {
    }

    public List<ChatMessage> messages(String sessionId) {
        return em.createQuery("select m from ChatMessage m where m.sessionId = :session order by m.position",
                        ChatMessage.class)
                .setParameter("session", sessionId)
                .getResultList();
    }

    /**
     * Stores the question and the answer about to stream, read by {@code nodeId}. The answer's first event id is
     * not known yet ({@link #streamFrom} records it once the question is announced). Refused with 409 while
     * another answer of the session streams: the session's row lock makes that check and the insert one step.
     */
    public Exchange startExchange(String sessionId, String question, String nodeId) {
        sessions.lock(sessionId);
        Long streaming = em.createQuery("select count(m) from ChatMessage m where m.sessionId = :session "
                        + "and m.status = :status", Long.class)
                .setParameter("session", sessionId)
                .setParameter("status", MessageStatus.STREAMING)
                .getSingleResult();
        if (streaming > 0) {
            throw ProblemException.conflict("Another answer of this session is still streaming; "
                    + "wait for it to finish or cancel it");
        }
        Integer last = em.createQuery("select max(m.position) from ChatMessage m where m.sessionId = :session",
                        Integer.class)
                .setParameter("session", sessionId)
                .getSingleResult();
        int position = last == null ? 0 : last;
        OffsetDateTime now = Timestamps.now();
        ChatMessage user = new ChatMessage(newId(), sessionId, position + 1, ChatMessage.ROLE_USER, question,
                MessageStatus.COMPLETE, now);
        ChatMessage assistant = new ChatMessage(newId(), sessionId, position + 2, ChatMessage.ROLE_ASSISTANT, "",
                MessageStatus.STREAMING, now);
        assistant.streamFrom(nodeId, 0);
        em.persist(user);
        em.persist(assistant);
        return new Exchange(user, assistant);
    }

    /** How many answers stream now over all the sessions {@code owner} holds, on every server. */
    public long streamingAnswersOf(String owner) {
        return em.createQuery("select count(m) from ChatMessage m, ChatSession s "
                        + "where m.sessionId = s.id and s.owner = :owner and m.status = :status", Long.class)
                .setParameter("owner", owner)
                .setParameter("status", MessageStatus.STREAMING)
                .getSingleResult();
    }

    public void streamFrom(String messageId, String nodeId, long questionEventId) {
        em.find(ChatMessage.class, messageId).streamFrom(nodeId, questionEventId);
    }

    /** Whether the message is an answer of the session that is still streaming (on whichever server). */
    public boolean isStreaming(String sessionId, String messageId) {
        ChatMessage message = em.find(ChatMessage.class, messageId);
        return message != null && message.getSessionId().equals(sessionId)
                && message.getStatus() == MessageStatus.STREAMING;
    }

    /** Stores the text an answer has so far, while it still streams (never over its end, which may be stored first). */
    public void savePartial(String messageId, String content) {
        em.createQuery("update ChatMessage m set m.content = :content where m.id = :id and m.status = :status")
                .setParameter("content", content)
                .setParameter("id", messageId)
                .setParameter("status", MessageStatus.STREAMING)
                .executeUpdate();
    }

    public ChatMessage completeAnswer(String messageId, String content, String usageJson, String metaJson,
                                      List<String> changeIds) {
        ChatMessage message = em.find(ChatMessage.class, messageId);
        message.complete(content, usageJson, metaJson, changeIds.isEmpty() ? null : String.join(",", changeIds));
        return message;
    }

    public ChatMessage failAnswer(String messageId, MessageStatus status, String code, String reason,
                                  String partialContent) {
        ChatMessage message = em.find(ChatMessage.class, messageId);
        message.fail(status, code, reason, partialContent);
        return message;
    }

    /** The answers still streaming, on any server. */
    public List<ChatMessage> streamingAnswers() {
        return em.createQuery("select m from ChatMessage m where m.status = :status", ChatMessage.class)
                .setParameter("status", MessageStatus.STREAMING)
                .getResultList();
    }

    /** Closes an answer whose server stopped, unless it ended meanwhile; the closed answer, or null. */
    /**
     * Closes an answer whose server is gone as {@code server_restarted}, with {@code relayed} (what its server
     * relayed, when the event log still held it) as its text where that reaches further than what was stored.
     */
    public ChatMessage failAbandoned(String messageId, String relayed) {
        ChatMessage message = em.find(ChatMessage.class, messageId, LockModeType.PESSIMISTIC_WRITE);
        if (message == null || message.getStatus() != MessageStatus.STREAMING) {
            return null;
        }
        String stored = message.getContent() == null ? "" : message.getContent();
        message.fail(MessageStatus.ERROR, FailureCode.SERVER_RESTARTED.wireName(),
                FailureCode.SERVER_RESTARTED.message(null),
                relayed != null && relayed.length() >= stored.length() ? relayed : message.getContent());
        return message;
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

}
