package io.assistantstream.stream.control;

import io.assistantstream.stream.entity.ClientEvent;
import io.assistantstream.stream.entity.SequencedEvent;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Every session's numbered client events: where they are published, kept for replay and fanned out to the
 * session's subscribers. Two implementations: {@link MemoryEventLog} (one server, the default) and the Redis log
 * (many servers, chosen by {@code redis.url}); {@link EventLogs} picks one at start-up.
 */
public interface EventLog {

    /** A position before the first event of the channel a session will have, as a last seen id. */
    long BEFORE_FIRST = -1;

    /**
     * Numbers the event and makes it readable to every subscriber of its session, on every server. Never throws for the
     * log's own faults: an event the log could not take comes back with id 0 (not part of the sequence), the
     * session's subscribers are told to resume, and the log repairs the session's history when it can.
     */
    SequencedEvent publish(ClientEvent event);

    /**
     * Publishes the event after the session's earlier ones, as {@link #publish} does, without waiting to learn its
     * id: a log whose publishing costs a round trip sends what queued meanwhile together. For events nobody needs
     * the id of at once (an answer's chunks and statuses); a later {@link #publish} of the session comes after it.
     */
    default void append(ClientEvent event) {
        publish(event);
    }

    /**
     * Attaches a subscriber (again, when it is attached already, moving its position): it reads live events from
     * now on, after every retained event past {@code lastSeenId} when given (a {@code replay_truncated} notice
     * first when that id is older than what is retained).
     *
     * @throws EventLogUnavailable when the log cannot serve the session now; the client should retry
     */
    void attach(String sessionId, Subscriber subscriber, OptionalLong lastSeenId);

    void detach(String sessionId, Subscriber subscriber);

    /**
     * The session's position now, to attach a subscriber from later (as its last seen id) so that it gets
     * exactly what was published in between: the id of the session's latest event, or {@link #BEFORE_FIRST}
     * when it has none yet.
     *
     * @throws EventLogUnavailable when the log cannot tell
     */
    long position(String sessionId);

    /** The id of the session's latest event, or 0 when it has none (or the log cannot tell now). */
    long lastId(String sessionId);

    /**
     * Every event of the session after {@code afterId}, when the log still holds all of them (none lost to its
     * retention): what a server that closes another's abandoned answer reads its relayed text from. Empty when the
     * log cannot say, or keeps nothing beyond one server's life.
     */
    Optional<List<SequencedEvent>> retainedAfter(String sessionId, long afterId);

    /** What the log runs on and whether it is reachable, for {@code /api/health}. */
    Health health();

    record Health(String kind, boolean up, String detail) {
    }
}
