package io.assistantstream.delivery.control;

import io.assistantstream.stream.entity.SequencedEvent;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What waits for one client, in order: the channel's own event instances (references, never copies), with the
 * live ones counted, since only they measure how far behind the client is (a replay on attach does not).
 */
final class Outbox {

    /** Written as the transport's keep-alive; told apart by identity. */
    static final SequencedEvent HEARTBEAT = new SequencedEvent(0, "heartbeat", "{}");
    /** A keep-alive written to find out whether the client is still there. */
    static final SequencedEvent PROBE = new SequencedEvent(0, "probe", "{}");

    private record Outgoing(SequencedEvent event, boolean live) {
    }

    private final ConcurrentLinkedQueue<Outgoing> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger live = new AtomicInteger();

    /** Queues a live event unless {@code limit} live events wait already; false when it did not. */
    boolean addLive(SequencedEvent event, int limit) {
        if (live.incrementAndGet() > limit) {
            live.decrementAndGet();
            return false;
        }
        queue.add(new Outgoing(event, true));
        return true;
    }

    /** Queues a replayed event or a keep-alive: not counted as live. */
    void add(SequencedEvent event) {
        queue.add(new Outgoing(event, false));
    }

    /** The next event to write, or null. */
    SequencedEvent poll() {
        Outgoing next = queue.poll();
        if (next == null) {
            return null;
        }
        if (next.live()) {
            live.decrementAndGet();
        }
        return next.event();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    void clear() {
        queue.clear();
        live.set(0);
    }

    /** How many live events wait. */
    int liveEvents() {
        return live.get();
    }
}
