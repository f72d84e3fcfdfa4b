package io.assistantstream.delivery.control;

import io.assistantstream.delivery.entity.Transport;
import io.assistantstream.stream.control.ReadFrom;
import io.assistantstream.stream.control.Subscriber;
import io.assistantstream.stream.entity.SequencedEvent;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One connected client: a {@link Cursor} in its session's window and a single {@link Sender} that reads onward
 * from it, so a transport never sees two writers and a slow client never slows the upstream read or the others.
 * Replay and live delivery are the same read; the client costs a position, not a copy of the events. It is cut
 * off for the two reasons of {@link StallRule} only. A subscriber <em>held</em> reads nothing until
 * {@link #release()}, so a WebSocket that may still ask for a replay gets it before anything else.
 */
public abstract class LogSubscriber implements Subscriber {

    private static final Logger LOG = Logger.getLogger(LogSubscriber.class.getName());

    /** The reason codes a subscriber is closed with, as the client sees them. */
    static final String SLOW_SUBSCRIBER = "slow_subscriber";
    static final String STREAM_INTERRUPTED = "stream_interrupted";
    static final String SERVER_STOPPING = "server_stopping";

    /** Why and how the subscriber is closed: a reason code for the client, or none when the client is gone. */
    private record Farewell(String reasonCode, String reason) {
    }

    private final String sessionId;
    private final Transport transport;
    private final Sender sender;
    private final StallRule stall = new StallRule();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean held;
    private volatile Runnable onClose = () -> {
    };
    private final AtomicReference<Farewell> farewell = new AtomicReference<>();
    private volatile DeliveryMeters meters = DeliveryMeters.NONE;

    protected LogSubscriber(String sessionId, Transport transport, Executor sender) {
        this.sessionId = sessionId;
        this.transport = transport;
        this.sender = new Sender(this, sender);
    }

    public String sessionId() {
        return sessionId;
    }

    @Override
    public void attached(ReadFrom start) {
        sender.cursor.moveTo(start);
    }

    @Override
    public void wake() {
        if (!closed.get()) {
            startClockIfIdle();
            scheduleDrain();
        }
    }

    /** An event for this client alone (an answer to its own frame), written before what it reads next. */
    public void tell(SequencedEvent event) {
        if (!closed.get()) {
            startClockIfIdle();
            sender.outbox.add(event);
            scheduleDrain();
        }
    }

    /** Events begin to wait for an idle client: the stall clock starts (a busy sender moves it with each write). */
    private void startClockIfIdle() {
        if (!sender.isRunning() && unfinishedWriteSinceNanos() == 0) {
            stall.progressed();
        }
    }

    @Override
    public void interrupted() {
        close(STREAM_INTERRUPTED, "Live events of this session are interrupted (the shared event log is unavailable); "
                + "reconnect with your last event id in a few seconds");
    }

    /** Reads nothing from now on, until {@link #release()}. */
    public void hold() {
        held = true;
    }

    protected final boolean isHeld() {
        return held;
    }

    /** Starts reading (the stall rule's clock starts now). */
    public void release() {
        if (held) {
            stall.progressed();
            held = false;
            scheduleDrain();
        }
    }

    /** Keeps the connection alive and finds out whether its peer is still there ({@link Liveness}). */
    void keepAlive(long nowNanos, long heartbeatAfterNanos, long probeAfterNanos) {
        if (closed.get() || held || waiting()) {
            return;
        }
        switch (sender.liveness.due(nowNanos, heartbeatAfterNanos, probeAfterNanos, transport.detectsGoneClientsByWriting())) {
            case PROBE -> tell(Outbox.PROBE);
            case HEARTBEAT -> tell(Outbox.HEARTBEAT);
            case NOTHING -> {
            }
        }
    }

    /** Writes a probe now (unless something waits already, which serves as well). */
    void probe() {
        if (!closed.get() && !held && !waiting()) {
            tell(Outbox.PROBE);
        }
    }

    /** Cuts the subscriber off when events have waited for it for longer than {@code stallNanos}, none taken. */
    void cutOffIfStalled(long stallNanos, long nowNanos) {
        if (!closed.get() && !held && waiting() && stall.exceeded(stallNanos, nowNanos)) {
            cutOff(StallRule.stalled(stallNanos));
        }
    }

    /** Its position fell below the window: found by its sender. */
    void fellBehind() {
        cutOff(StallRule.fellBehind());
    }

    private void cutOff(StallRule.Verdict verdict) {
        meters.cutOffSlow(transport);
        LOG.warning(() -> "A " + transport.label() + " subscriber of session " + sessionId + " " + verdict.what()
                + " and is disconnected; it can resume from its last event id. If this happens often, check that "
                + "client's network, or " + verdict.remedy());
        close(SLOW_SUBSCRIBER, verdict.reason());
    }

    /** Whether a write has been under way for longer than {@code nanos}: its client has stopped reading. */
    boolean writingLongerThan(long nanos, long nowNanos) {
        long since = unfinishedWriteSinceNanos();
        return since != 0 && nowNanos - since > nanos;
    }

    /** Whether something waits for the client: to read, queued for it alone, or handed over and not yet taken. */
    private boolean waiting() {
        return sender.hasWork() || unfinishedWriteSinceNanos() != 0;
    }

    /** The client took a write: called by the sender after each one, and by a transport as its writes complete. */
    protected final void progressed() {
        stall.progressed();
    }

    /** When the oldest write not yet completed began; 0 when none is under way. */
    protected long unfinishedWriteSinceNanos() {
        return sender.writingSinceNanos();
    }

    /**
     * Whether the transport takes another event now. A transport that writes asynchronously says no while its
     * window is full, and calls {@link #writable()} when a completion makes room: no thread waits meanwhile.
     */
    protected boolean readyForMore() {
        return true;
    }

    /** The transport has room again: the sender goes on reading, and flushes. */
    protected final void writable() {
        scheduleDrain();
    }

    void delivered() {
        meters.delivered(transport);
    }

    void replayTruncated() {
        meters.replayTruncated();
    }

    /** Where this subscriber reports what it does, from its registration on. */
    void measuredBy(DeliveryMeters meters) {
        this.meters = meters;
    }

    /** How many events of the window it has yet to read. */
    int eventsBehind() {
        return sender.cursor.behind();
    }

    /** Called once, when the subscriber is closed for any reason. */
    void onClose(Runnable action) {
        this.onClose = action;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Closes the subscriber: it reads no more at once, and its own sender says goodbye (a reason code for the
     * client, or null when the client is already gone), so the transport still never has two writers.
     */
    public final void close(String reasonCode, String reason) {
        if (closed.compareAndSet(false, true)) {
            farewell.set(new Farewell(reasonCode, reason));
            sender.outbox.clear();
            onClose.run();
            held = false;
            scheduleDrain();
        }
    }

    private void scheduleDrain() {
        if (!held) {
            sender.schedule();
        }
    }

    /** Called by its sender once closed: the transport's goodbye, once. */
    void sayFarewell() {
        Farewell last = farewell.getAndSet(null);
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
