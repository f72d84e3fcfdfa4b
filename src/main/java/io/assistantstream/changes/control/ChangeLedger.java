package io.assistantstream.changes.control;

import io.assistantstream.changes.entity.ChangeKind;
import io.assistantstream.changes.entity.ChangeStatus;
import io.assistantstream.changes.entity.SessionChange;
import io.assistantstream.session.control.SessionStore;
import io.assistantstream.session.entity.ChatSession;
import jakarta.inject.Inject;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;

/**
 * The transactions behind the change service. Recording a change locks the session row first, so for one session
 * the look-up and the insert are serialised across threads and servers alike; the unique constraint on
 * (session, kind, digest) is the backstop that turns any race that slips through into a failed insert.
 */
@Stateless
public class ChangeLedger {

    @PersistenceContext(unitName = "assistant-stream")
    EntityManager em;

    @Inject
    SessionStore sessions;

    /** The session, locked for the rest of the transaction. */
    public ChatSession lockSession(String sessionId) {
        return sessions.lock(sessionId);
    }

    /**
     * Stores the change unless the same content is already there, and applies a valid workflow to the session in
     * the same transaction. Returns the stored change, or the earlier one it repeats.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public Recorded record(SessionChange change) {
        ChatSession session = lockSession(change.getSessionId());
        Optional<SessionChange> earlier = find(change.getSessionId(), change.getKind(), change.getContentDigest());
        if (earlier.isPresent()) {
            return new Recorded(earlier.get(), false);
        }
        applyIfValidWorkflow(session, change);
        em.persist(change);
        em.flush();
        return new Recorded(change, true);
    }

    /** A valid workflow takes effect as it is stored, keeping what it replaces for an undo. */
    static void applyIfValidWorkflow(ChatSession session, SessionChange change) {
        if (change.getStatus() == ChangeStatus.APPLIED) {
            change.replacing(session.getWorkflowYaml());
            session.setWorkflowYaml(change.getContent());
        }
    }

    /** The stored change, and whether this call stored it (false: it repeats an earlier one). */
    public record Recorded(SessionChange change, boolean isNew) {
    }

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public Optional<SessionChange> find(String sessionId, ChangeKind kind, String digest) {
        return em.createQuery("select c from SessionChange c where c.sessionId = :session and c.kind = :kind "
                        + "and c.contentDigest = :digest", SessionChange.class)
                .setParameter("session", sessionId)
                .setParameter("kind", kind)
                .setParameter("digest", digest)
                .getResultStream().findFirst();
    }

    /** The change in force whose content is {@code content}, if any: the one a revert would lose. */
    public Optional<SessionChange> inForceWith(String sessionId, ChangeKind kind, String content) {
        String digest = ChangeService.digest(content);
        return ofSession(sessionId).stream()
                .filter(c -> c.getKind() == kind && c.getStatus().inForce() && c.getContent() != null
                        && ChangeService.digest(c.getContent()).equals(digest))
                .reduce((first, second) -> second);
    }

    public ChatSession session(String sessionId) {
        return sessions.session(sessionId);
    }

    public List<SessionChange> ofSession(String sessionId) {
        return em.createQuery("select c from SessionChange c where c.sessionId = :session "
                        + "order by c.createdAt, c.id", SessionChange.class)
                .setParameter("session", sessionId)
                .getResultList();
    }

    public Optional<SessionChange> byId(String sessionId, String changeId) {
        SessionChange change = em.find(SessionChange.class, changeId, LockModeType.PESSIMISTIC_WRITE);
        return Optional.ofNullable(change).filter(c -> c.getSessionId().equals(sessionId));
    }
}
