package io.assistantstream.delivery.control;

import io.assistantstream.stream.control.EventWindow;
import io.assistantstream.stream.control.ReadFrom;
import io.assistantstream.stream.entity.SequencedEvent;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where one subscriber stands in its session's window: the id of the last event it wrote. Only its sender reads
 * and moves it; an attach from another thread (a resume) is left for the sender to take between two writes,
 * together with the notice that must come before what follows it, so a resume never interleaves with a batch.
 */
final class Cursor {

    /** Sent in place of the events after a position that fell below the window. */
    enum Read { EVENTS, BEHIND }

    private final AtomicReference<ReadFrom> moved = new AtomicReference<>();
    private volatile EventWindow window;
    private volatile long position;

    /** Reads from {@code start} on, from the sender's next step (called with the session's lock held). */
    void moveTo(ReadFrom start) {
        moved.set(start);
    }

    boolean isMoving() {
        return moved.get() != null;
    }

    /** Takes a pending move: its notice (maybe null) is what the sender writes before reading on. */
    ReadFrom takeMove() {
        ReadFrom start = moved.getAndSet(null);
        if (start != null) {
            window = start.window();
            position = start.position();
        }
        return start;
    }

    /** Up to {@code max} events after the position, oldest first; BEHIND when they are no longer all held. */
    Read read(int max, List<SequencedEvent> into) {
        EventWindow current = window;
        return current == null || current.readAfter(position, max, into) ? Read.EVENTS : Read.BEHIND;
    }

    /** The sender wrote the event with this id. */
    void wrote(long id) {
        position = id;
    }

    /** Whether something waits to be read: a notice, or events after the position (a pending move's, if any). */
    boolean hasMore() {
        ReadFrom next = moved.get();
        if (next != null) {
            return next.notice() != null || next.position() < next.window().lastId();
        }
        EventWindow current = window;
        return current != null && position < current.lastId();
    }

    /** How many events in the window come after the position. */
    int behind() {
        EventWindow current = window;
        return current == null ? 0 : current.countAfter(position);
    }
}
