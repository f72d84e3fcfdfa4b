package io.assistantstream.stream.control;

import io.assistantstream.stream.entity.SequencedEvent;

/**
 * Someone watching a session. {@link #deliver} is called with the channel's lock held and must never block: a
 * transport queues the event and writes it on its own sender.
 */
public interface Subscriber {

    void deliver(SequencedEvent event);

    /**
     * A retained event replayed on attach. A transport may hold these beyond its bound for live events: they are
     * the channel's own retained instances, so a replay costs references, never copies.
     */
    default void replay(SequencedEvent event) {
        deliver(event);
    }

    /** Drops whatever is queued and not yet sent, before a replay that covers it (called with the lock held). */
    default void discardQueued() {
    }

    /**
     * The log can no longer feed this subscriber (its store went away): it should end its stream with a
     * retryable signal, so its client resumes from its last id once the log is back.
     */
    default void interrupted() {
    }
}
