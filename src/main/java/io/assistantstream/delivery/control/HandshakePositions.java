package io.assistantstream.delivery.control;

import io.assistantstream.stream.control.EventLog;
import io.assistantstream.stream.control.EventLogUnavailable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Where each session stood when a WebSocket handshake for it was answered. A client may act (post a question) the
 * moment it sees its socket open, which can be before the endpoint's {@code @OnOpen} runs; attaching from the
 * position at the handshake means it still gets every event published after that.
 *
 * <p>The handshake and the endpoint instance share nothing the container keeps per connection (the configurator's
 * user properties are shared by every connection on some servers), so positions are kept per session. A socket
 * takes the earliest position recorded for its session and removes the latest one: each socket still waiting
 * then has a recorded position no later than its own, so concurrent handshakes on one session can only make a
 * socket start a few events earlier (events it never received), never later.
 */
@ApplicationScoped
public class HandshakePositions {

    private static final long FORGET_AFTER_NANOS = TimeUnit.MINUTES.toNanos(1);

    private record Recorded(long position, long atNanos) {
    }

    @Inject
    EventLog eventLog;

    private final Map<String, List<Recorded>> bySession = new ConcurrentHashMap<>();

    /** Called while the handshake is answered, before the client can see its socket open. */
    public void record(String sessionId) {
        long now = System.nanoTime();
        Recorded recorded;
        try {
            recorded = new Recorded(eventLog.position(sessionId), now);
        } catch (EventLogUnavailable e) {
            return; // the socket, once open, asks again and is closed with 1013 if the log is still away
        }
        bySession.compute(sessionId, (id, list) -> {
            List<Recorded> kept = list == null ? new ArrayList<>() : list;
            kept.removeIf(old -> now - old.atNanos() > FORGET_AFTER_NANOS);
            kept.add(recorded);
            return kept;
        });
    }

    /** The position to attach an opened socket of the session from; empty when no handshake was recorded. */
    public OptionalLong take(String sessionId) {
        long[] earliest = {0};
        boolean[] found = {false};
        bySession.computeIfPresent(sessionId, (id, list) -> {
            if (list.isEmpty()) {
                return null;
            }
            earliest[0] = list.stream().mapToLong(Recorded::position).min().getAsLong();
            found[0] = true;
            list.remove(list.stream().max(Comparator.comparingLong(Recorded::position)).get());
            return list.isEmpty() ? null : list;
        });
        return found[0] ? OptionalLong.of(earliest[0]) : OptionalLong.empty();
    }
}
