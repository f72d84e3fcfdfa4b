package io.assistantstream.delivery.control;

import io.assistantstream.delivery.entity.Transport;
import io.assistantstream.stream.control.ReplayNotices;
import io.assistantstream.stream.control.Subscriber;
import io.assistantstream.stream.entity.SequencedEvent;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One connected client: a queue of the channel's own event instances (references, never copies) and a single
 * sender, so a transport never sees two writers and a slow client never slows the upstream read or the others.
 * It is cut off for two reasons only: its live events reach the session's retained history
 * ({@code stream.replay-buffer-events}: past it, it could not resume without a gap), or events have waited for it
 * for {@code stream.stall-seconds} untaken. A burst is never a reason, nor is a replay on attach. The sender runs
 * on the senders' executor only while there is something to write and the transport has room. A subscriber
 * attached <em>held</em> queues but sends nothing until {@link #release()}, so a WebSocket that may still ask for
 * a replay gets it before the live events.
 */
public abstract class QueuedSubscriber implements Subscriber {

    private static final Logger LOG = Logger.getLogger(QueuedSubscriber.class.getName());

    /** The reason codes a subscriber is closed with, as the client sees them. */
    static final String SLOW_SUBSCRIBER = "slow_subscriber";
    static final String STREAM_INTERRUPTED = "stream_interrupted";
    static final String SERVER_STOPPING = "server_stopping";

    /** Why and how the subscriber is closed: a reason code for the client, or none when the client is gone. */
    private record Farewell(String reasonCode, String reason) {
    }

    private final String sessionId;
    private final Transport transport;
    private final int historyEvents;
    private final Executor sender;
    private final Outbox queue = new Outbox();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean held;
    private final Liveness liveness = new Liveness();
    /** When the write under way began; 0 while none is. */
    private volatile long writingSinceNanos;
    /** When the client last took a write, or began to be waited for: the stall rule's clock. */
    private volatile long progressNanos = System.nanoTime();
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
        startClockIfIdle();
        if (queue.addLive(event, historyEvents)) {
            scheduleDrain();
        } else {
            cutOff("fell " + historyEvents + " events behind, past the session's retained history",
                    "raise stream.replay-buffer-events",
                    "Too far behind (past the session's " + historyEvents + " retained events); reconnect with your "
                            + "last event id");
        }
    }

    @Override
    public void replay(SequencedEvent event) {
        if (ReplayNotices.TRUNCATED.equals(event.name())) {
            meters.replayTruncated();
        }
        if (!closed.get()) {
            enqueue(event);
        }
    }

    /** Drops what was queued while held, for a replay that covers it; called with the channel's lock held. */
    @Override
    public void discardQueued() {
        queue.clear();
    }

    private void enqueue(SequencedEvent event) {
        startClockIfIdle();
        queue.add(event);
        scheduleDrain();
    }

    /** Events about to wait for a client that had nothing waiting: the stall rule's clock starts now. */
    private void startClockIfIdle() {
        if (!waiting()) {
            progressNanos = System.nanoTime();
        }
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

    protected final boolean isHeld() {
        return held;
    }

    /** Starts sending what was queued while held (the stall rule's clock starts now). */
    public void release() {
        if (held) {
            progressed();
            held = false;
            scheduleDrain();
        }
    }

    /** Keeps the connection alive and finds out whether its peer is still there ({@link Liveness}). */
    void keepAlive(long nowNanos, long heartbeatAfterNanos, long probeAfterNanos) {
        if (closed.get() || held || !queue.isEmpty()) {
            return;
        }
        switch (liveness.due(nowNanos, heartbeatAfterNanos, probeAfterNanos, transport.detectsGoneClientsByWriting())) {
            case PROBE -> enqueue(Outbox.PROBE);
            case HEARTBEAT -> enqueue(Outbox.HEARTBEAT);
            case NOTHING -> {
            }
        }
    }

    /** Writes a probe now (unless something is queued already, which serves as well). */
    void probe() {
        if (!closed.get() && !held && queue.isEmpty()) {
            enqueue(Outbox.PROBE);
        }
    }

    /**
     * Cuts the subscriber off when events have waited for it for longer than {@code stallNanos} and it has taken
     * none of them: its client accepts no bytes (or its writes cannot even begin). Its slot is free at once; its
     * sender says goodbye once a write under way ends.
     */
    void cutOffIfStalled(long stallNanos, long nowNanos) {
        if (!closed.get() && !held && waiting() && nowNanos - progressNanos > stallNanos) {
            long seconds = TimeUnit.NANOSECONDS.toSeconds(stallNanos);
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
        long since = unfinishedWriteSinceNanos();
        return since != 0 && nowNanos - since > nanos;
    }

    /** Whether something waits for the client: queued, or handed to the transport and not yet taken. */
    private boolean waiting() {
        return !queue.isEmpty() || unfinishedWriteSinceNanos() != 0;
    }

    /** The client took a write: called by the sender after each one, and by a transport as its writes complete. */
    protected final void progressed() {
        progressNanos = System.nanoTime();
    }

    /** When the oldest write not yet completed began; 0 when none is under way. */
    protected long unfinishedWriteSinceNanos() {
        return writingSinceNanos;
    }

    /**
     * Whether the transport takes another event now. A transport that writes asynchronously says no while its
     * window is full, and calls {@link #writable()} when a completion makes room: no thread waits meanwhile.
     */
    protected boolean readyForMore() {
        return true;
    }

    /** The transport has room again: the sender goes on with what is queued, and flushes. */
    protected final void writable() {
        scheduleDrain();
    }

    /** Where this subscriber reports what it does, from its registration on. */
    void measuredBy(DeliveryMeters meters) {
        this.meters = meters;
    }

    /** How many live events wait to be written. */
    int queuedEvents() {
        return queue.liveEvents();
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
            SequencedEvent next;
            while (!closed.get() && readyForMore() && (next = queue.poll()) != null) {
                writingSinceNanos = System.nanoTime();
                if (next == Outbox.HEARTBEAT || next == Outbox.PROBE) {
                    writeHeartbeat();
                } else {
                    write(next);
                    meters.delivered(transport);
                }
                writingSinceNanos = 0;
                progressed();
                liveness.wrote(next == Outbox.PROBE, System.nanoTime());
            }
            if (!closed.get()) {
                flush();
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
        } else if (!queue.isEmpty() && readyForMore()) {
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

    /** Sends what the writes since the last flush left buffered: called when the sender runs out of events. */
    protected void flush() throws Exception {
    }

    protected abstract void disconnect(String reasonCode, String reason) throws Exception;
}
