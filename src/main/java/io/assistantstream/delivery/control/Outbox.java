package io.assistantstream.delivery.control;

import io.assistantstream.stream.entity.SequencedEvent;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What waits for one client outside its session's log: heartbeats, probes and answers to its own frames. Empty
 * nearly always, so it costs an idle subscriber one empty queue.
 */
final class Outbox {

    /** Written as the transport's keep-alive; told apart by identity. */
    static final SequencedEvent HEARTBEAT = new SequencedEvent(0, "heartbeat", "{}");
    /** A keep-alive written to find out whether the client is still there. */
    static final SequencedEvent PROBE = new SequencedEvent(0, "probe", "{}");

    private final ConcurrentLinkedQueue<SequencedEvent> queue = new ConcurrentLinkedQueue<>();

    void add(SequencedEvent event) {
        queue.add(event);
    }

    /** The next one to write, or null. */
    SequencedEvent poll() {
        return queue.poll();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    void clear() {
        queue.clear();
    }
}
