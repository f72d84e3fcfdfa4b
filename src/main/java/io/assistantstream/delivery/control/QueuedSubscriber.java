package io.assistantstream.delivery.control;

import io.assistantstream.delivery.entity.Transport;
import io.assistantstream.stream.control.ReplayNotices;
import io.assistantstream.stream.control.Subscriber;
import io.assistantstream.stream.entity.SequencedEvent;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One connected client: a queue and a single sender, so a transport never sees two writers at once and a client
 * that cannot keep up is cut off instead of slowing the upstream read or the other clients. The queue holds the
 * channel's own event instances (references, never copies), so it is a position in the session's history more
 * than a copy of it; and it is cut off for two reasons only: its live events reach the session's retained history
 * ({@code stream.replay-buffer-events}; past it, its next unsent event is no longer there to resume from), or a
 * write to it has not completed for {@code stream.stall-seconds} (its client accepts no bytes). A burst is never a
 * reason: a client that reads keeps up at its own pace however many events arrive at once. A replay on attach is
 * not counted: it is as long as the client asked for, at most the retained events. The sender is a task on the
 * senders' executor that runs only while there is something to write, so an idle subscriber costs no thread.
 *
 * <p>A subscriber can be attached <em>held</em>: it queues events from the moment it attached but sends none
 * until {@link #release()}, so a WebSocket that may still ask for a replay gets it before the live events.
 */
public abstract class QueuedSubscriber implements Subscriber {

    private static final Logger LOG = Logger.getLogger(QueuedSubscriber.class.getName());
    private static final Outgoing HEARTBEAT = new Outgoing(new SequencedEvent(0, "heartbeat", "{}"), false);
    private static final Outgoing PROBE = new Outgoing(new SequencedEvent(0, "probe", "{}"), false);

    /** The reason codes a subscriber is closed with, as the client sees them. */
    static final String SLOW_SUBSCRIBER = "slow_subscriber";
    static final String STREAM_INTERRUPTED = "stream_interrupted";
    static final String SERVER_STOPPING = "server_stopping";

    private record Outgoing(SequencedEvent event, boolean live) {
    }

    /** Why and how the subscriber is closed: a reason code for the client, or none when the client is gone. */
    private record Farewell(String reasonCode, String reason) {
    }

    private final String sessionId;
    private final Transport transport;
    private final int historyEvents;
    private final Executor sender;
    private final ConcurrentLinkedQueue<Outgoing> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger liveQueued = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean held;
    private volatile long lastWriteNanos = System.nanoTime();
    /** When the write under way began; 0 while none is. */
    private volatile long writingSinceNanos;
    /** Whether a write followed the last one after a round trip, which proves the peer still reads. */
    private volatile boolean lastWriteConfirmed = true;
    private volatile Runnable onClose = () -> {
    };
    private Farewell farewell;
    private volatile DeliveryMeters meters = DeliveryMeters.NONE;

    protected QueuedSubscriber(String sessionId, Transport transport, int historyEvents, Executor sender) {
        this.sessionId = sessionId;
        this.transport = transport;
        this.historyEvents = historyEvents;
        this.sender = sender;
    }

    public String sessionId() {
        return sessionId;
    }

    @Override
    public void deliver(SequencedEvent event) {
        if (closed.get()) {
            return;
        }
        if (liveQueued.incrementAndGet() > historyEvents) {
            cutOff("fell " + historyEvents + " events behind, past the session's retained history",
                    "raise stream.replay-buffer-events",
                    "Too far behind (past the session's " + historyEvents + " retained events); reconnect with your "
                            + "last event id");
            return;
        }
        enqueue(new Outgoing(event, true));
    }

    @Override
    public void replay(SequencedEvent event) {
        if (ReplayNotices.TRUNCATED.equals(event.name())) {
            meters.replayTruncated();
        }
        if (!closed.get()) {
            enqueue(new Outgoing(event, false));
        }
    }

    /** Drops what was queued while held, for a replay that covers it; called with the channel's lock held. */
    @Override
    public void discardQueued() {
        queue.clear();
        liveQueued.set(0);
    }

    private void enqueue(Outgoing outgoing) {
        queue.add(outgoing);
        scheduleDrain();
    }

    @Override
    public void interrupted() {
        close(STREAM_INTERRUPTED, "Live events of this session are interrupted (the shared event log is unavailable); "
                + "reconnect with your last event id in a few seconds");
    }

    /** Queues events from now on without sending them, until {@link #release()}. */
    public void hold() {
        held = true;
    }

    /** Starts sending what was queued while held. */
    public void release() {
        if (held) {
            held = false;
            scheduleDrain();
        }
    }

    /**
     * Keeps the connection alive and finds out whether its peer is still there. A write to a connection the
     * client closed succeeds once (the peer answers it with a reset) and fails from the next one on; so for a
     * transport that only learns of a gone client by writing, a write that nothing followed for
     * {@code probeAfterNanos} is followed by a probe, and a heartbeat follows {@code heartbeatAfterNanos} of
     * silence. A closed connection is noticed within {@code probeAfterNanos} of the first write after its close.
     */
    void keepAlive(long nowNanos, long heartbeatAfterNanos, long probeAfterNanos) {
        if (closed.get() || held || !queue.isEmpty()) {
            return;
        }
        long silentFor = nowNanos - lastWriteNanos;
        if (!lastWriteConfirmed && transport.detectsGoneClientsByWriting() && silentFor >= probeAfterNanos) {
            enqueue(PROBE);
        } else if (silentFor >= heartbeatAfterNanos) {
            enqueue(HEARTBEAT);
        }
    }

    /** Writes a probe now (unless something is queued already, which serves as well). */
    void probe() {
        if (!closed.get() && !held && queue.isEmpty()) {
            enqueue(PROBE);
        }
    }

    /**
     * Cuts the subscriber off when a write to it has been under way for longer than {@code stallNanos}: its client
     * accepts no bytes while events wait for it. Its sender says goodbye once that write ends.
     */
    void cutOffIfStalled(long stallNanos, long nowNanos) {
        if (!closed.get() && writingLongerThan(stallNanos, nowNanos)) {
            long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(stallNanos);
            cutOff("accepted no bytes for " + seconds + " s while events waited", "raise stream.stall-seconds",
                    "Accepted no bytes for " + seconds + " s; reconnect with your last event id");
        }
    }

    private void cutOff(String what, String remedy, String reason) {
        meters.cutOffSlow(transport);
        LOG.warning(() -> "A " + transport.label() + " subscriber of session " + sessionId + " " + what + " and is "
                + "disconnected; it can resume from its last event id. If this happens often, check that client's "
                + "network, or " + remedy);
        close(SLOW_SUBSCRIBER, reason);
    }

    /** Whether a write has been under way for longer than {@code nanos}: its client has stopped reading. */
    boolean writingLongerThan(long nanos, long nowNanos) {
        long since = writingSinceNanos;
        return since != 0 && nowNanos - since > nanos;
    }

    /** Where this subscriber reports what it does, from its registration on. */
    void measuredBy(DeliveryMeters meters) {
        this.meters = meters;
    }

    /** How many live events wait to be written. */
    int queuedEvents() {
        return liveQueued.get();
    }

    /** Called once, when the subscriber is closed for any reason. */
    void onClose(Runnable action) {
        this.onClose = action;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Closes the subscriber: it takes no more events at once, and its own sender says goodbye (a reason code for
     * the client, or null when the client is already gone), so the transport still never has two writers.
     */
    public final void close(String reasonCode, String reason) {
        if (closed.compareAndSet(false, true)) {
            synchronized (this) {
                farewell = new Farewell(reasonCode, reason);
            }
            queue.clear();
            onClose.run();
            held = false;
            scheduleDrain();
        }
    }

    private void scheduleDrain() {
        if (!held && draining.compareAndSet(false, true)) {
            sender.execute(this::drain);
        }
    }

    private void drain() {
        try {
            Outgoing next;
            while (!closed.get() && (next = queue.poll()) != null) {
                if (next.live()) {
                    liveQueued.decrementAndGet();
                }
                writingSinceNanos = System.nanoTime();
                if (next == HEARTBEAT || next == PROBE) {
                    writeHeartbeat();
                } else {
                    write(next.event());
                    meters.delivered(transport);
                }
                writingSinceNanos = 0;
                long now = System.nanoTime();
                lastWriteConfirmed = next == PROBE;
                lastWriteNanos = now;
            }
        } catch (Exception e) {
            LOG.log(Level.FINE, "A " + transport.label() + " subscriber of session " + sessionId + " went away", e);
            close(null, null);
        } finally {
            writingSinceNanos = 0;
            draining.set(false);
        }
        if (closed.get()) {
            sayFarewell();
        } else if (!queue.isEmpty()) {
            scheduleDrain();
        }
    }

    private void sayFarewell() {
        Farewell last;
        synchronized (this) {
            last = farewell;
            farewell = null;
        }
        if (last != null) {
            try {
                disconnect(last.reasonCode(), last.reason());
            } catch (Exception e) {
                LOG.log(Level.FINE, "Closing a " + transport.label() + " subscriber of session " + sessionId + " failed", e);
            }
        }
    }

    public Transport transport() {
        return transport;
    }

    protected abstract void write(SequencedEvent event) throws Exception;

    protected abstract void writeHeartbeat() throws Exception;

    protected abstract void disconnect(String reasonCode, String reason) throws Exception;
}
