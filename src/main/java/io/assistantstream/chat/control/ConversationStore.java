package io.assistantstream.chat.control;

import io.assistantstream.chat.entity.ChatMessage;
import io.assistantstream.chat.entity.ChatSession;
import io.assistantstream.chat.entity.MessageStatus;
import io.assistantstream.platform.ProblemException;
import io.assistantstream.platform.Timestamps;
import io.assistantstream.session.control.EventIdReservations;
import jakarta.ejb.Local;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Every read and write of sessions and messages, each call one transaction. */
@Stateless
@LocalBean
@Local(EventIdReservations.class)
public class ConversationStore implements EventIdReservations {

    @PersistenceContext(unitName = "assistant-stream")
    EntityManager em;

    /** A user's question and the assistant's answer-to-be, stored together so the pair is never half there. */
    public record Exchange(ChatMessage question, ChatMessage answer) {
    }

    public ChatSession createSession(ChatSession session) {
        em.persist(session);
        return session;
    }

    public Optional<ChatSession> findSession(String id) {
        return Optional.ofNullable(em.find(ChatSession.class, id));
    }

    public ChatSession session(String id) {
        return findSession(id).orElseThrow(() -> ProblemException.notFound("No session with id " + id));
    }

    public List<ChatMessage> messages(String sessionId) {
        return em.createQuery("select m from ChatMessage m where m.sessionId = :session order by m.position",
                        ChatMessage.class)
                .setParameter("session", sessionId)
                .getResultList();
    }

    public Exchange startExchange(String sessionId, String question) {
        ChatSession session = em.find(ChatSession.class, sessionId, LockModeType.PESSIMISTIC_WRITE);
        if (session == null) {
            throw ProblemException.notFound("No session with id " + sessionId);
        }
        Long streaming = em.createQuery("select count(m) from ChatMessage m where m.sessionId = :session "
                        + "and m.status = :status", Long.class)
                .setParameter("session", sessionId)
                .setParameter("status", MessageStatus.STREAMING.wireName())
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
                MessageStatus.COMPLETE.wireName(), now);
        ChatMessage assistant = new ChatMessage(newId(), sessionId, position + 2, ChatMessage.ROLE_ASSISTANT, "",
                MessageStatus.STREAMING.wireName(), now);
        em.persist(user);
        em.persist(assistant);
        return new Exchange(user, assistant);
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

    /** Answers left streaming by a server that stopped: none of them can still be running. */
    public int failInterruptedAnswers() {
        List<ChatMessage> orphans = em.createQuery("select m from ChatMessage m where m.status = :status",
                        ChatMessage.class)
                .setParameter("status", MessageStatus.STREAMING.wireName())
                .getResultList();
        orphans.forEach(m -> m.fail(MessageStatus.ERROR, "server_restarted",
                "The server stopped while this answer was streaming; ask again", m.getContent()));
        return orphans.size();
    }

    /** A cheap round trip, for the health check. */
    public void ping() {
        em.createQuery("select count(s) from ChatSession s where s.id = ''").getSingleResult();
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public long reserve(String sessionId, int size) {
        ChatSession session = em.find(ChatSession.class, sessionId, LockModeType.PESSIMISTIC_WRITE);
        return session == null ? 0 : session.reserveEventIds(size);
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

}
