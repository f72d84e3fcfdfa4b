package io.assistantstream.session.control;

import io.assistantstream.platform.ProblemException;
import io.assistantstream.session.entity.ChatSession;
import io.assistantstream.stream.control.EventIdReservations;
import jakarta.ejb.Local;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Sessions as stored: created, found, and locked, the row lock being what keeps one answer at a time and one
 * copy of each change per session, across threads and servers. Also hands out the session's event id blocks.
 */
@Stateless
@LocalBean
@Local(EventIdReservations.class)
public class SessionStore implements EventIdReservations {

    private static final Logger LOG = Logger.getLogger(SessionStore.class.getName());

    @PersistenceContext(unitName = "assistant-stream")
    EntityManager em;

    public ChatSession create(ChatSession session) {
        em.persist(session);
        return session;
    }

    public Optional<ChatSession> find(String id) {
        return Optional.ofNullable(em.find(ChatSession.class, id));
    }

    /** How many sessions a list holds: the newest of an owner's. */
    public static final int LIST_LIMIT = 100;

    public List<ChatSession> ownedBy(String owner) {
        return em.createQuery("select s from ChatSession s where s.owner = :owner order by s.createdAt desc",
                        ChatSession.class)
                .setParameter("owner", owner)
                .setMaxResults(LIST_LIMIT)
                .getResultList();
    }

    /** The session, or a 404 problem. */
    public ChatSession session(String id) {
        return find(id).orElseThrow(() -> notFound(id));
    }

    /**
     * The session, its row locked until the caller's transaction ends; or a 404 problem. A locked read that finds
     * no row is checked with a plain count before the 404: in one full run of several, a question on Payara's
     * embedded H2 got a 404 for a session just read, which a locked read racing another transaction's lock of the
     * row would explain (not confirmed); the lock is then tried again, and the line says it happened.
     */
    public ChatSession lock(String id) {
        for (int attempt = 1; attempt <= 3; attempt++) {
            ChatSession session = em.find(ChatSession.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (session != null) {
                return session;
            }
            if (em.createQuery("select count(s) from ChatSession s where s.id = :id", Long.class)
                    .setParameter("id", id).getSingleResult() == 0) {
                break;
            }
            int tried = attempt;
            LOG.warning(() -> "A locked read of session " + id + " found no row although the session exists (attempt "
                    + tried + " of 3; the database's answer to a lock racing another one); reading it again");
        }
        throw notFound(id);
    }

    public void replaceViewerToken(String id, String tokenHash) {
        lock(id).setViewerTokenHash(tokenHash);
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

    private static ProblemException notFound(String id) {
        return ProblemException.notFound("No session with id " + id);
    }
}
