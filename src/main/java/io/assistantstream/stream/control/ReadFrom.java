package io.assistantstream.stream.control;

import io.assistantstream.stream.entity.SequencedEvent;
import java.util.OptionalLong;

/**
 * Where a subscriber starts reading its session's window: after {@code position}, with {@code notice} first
 * when not null (a {@code replay_truncated} that says the events after the client's last id are not all there).
 */
public record ReadFrom(EventWindow window, long position, SequencedEvent notice) {

    /**
     * Without a last id: live events only. With {@link EventLog#BEFORE_FIRST}: everything held. With an id the
     * window is complete after: what follows it. With an id older than the window, or later than
     * {@code knownLastId} (unknown to this log: a previous run's, or made up): the notice, then everything held,
     * instead of silently skipping or waiting for events that never come.
     */
    public static ReadFrom resolve(String sessionId, EventWindow window, OptionalLong lastSeenId, long knownLastId) {
        if (lastSeenId.isEmpty()) {
            return new ReadFrom(window, window.lastId(), null);
        }
        long after = lastSeenId.getAsLong();
        long floor = window.floor();
        if (after == EventLog.BEFORE_FIRST) {
            return new ReadFrom(window, floor, null);
        }
        if (after < floor || after > knownLastId) {
            return new ReadFrom(window, floor,
                    ReplayNotices.truncated(sessionId, after, window.oldestId(), Math.max(knownLastId, window.lastId())));
        }
        return new ReadFrom(window, after, null);
    }
}
