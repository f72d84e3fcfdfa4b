package io.assistantstream.delivery.control;

import io.assistantstream.session.control.Subscriber;
import io.assistantstream.session.entity.SequencedEvent;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One connected client: a bounded queue and a single sender, so a transport never sees two writers at once and a
 * client that cannot keep up is cut off instead of slowing the upstream read or the other clients. The bound
 * counts live events only: a replay on attach is as long as the client asked for (at most the channel's retained
 * events, shared, not copied), and live events may queue up to the bound behind it. The sender is a task on the
 * senders' executor that runs only while there is something to write, so an idle subscriber costs no thread.
 */
public abstract class QueuedSubscriber implements Subscriber {

    private static final Logger LOG = Logger.getLogger(QueuedSubscriber.class.getName());
    private static final Outgoing HEARTBEAT = new Outgoing(new SequencedEvent(0, "heartbeat", "{}"), false);

    private record Outgoing(SequencedEvent event, boolean live) {
    }

    private final String sessionId;
    private final int capacity;
    private final Executor sender;
    private final ConcurrentLinkedQueue<Outgoing> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger liveQueued = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long lastWriteNanos = System.nanoTime();
    private volatile Runnable onClose = () -> {
    };
    private String[] farewell;

    protected QueuedSubscriber(String sessionId, int capacity, Executor sender) {
        this.sessionId = sessionId;
        this.capacity = capacity;
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
        if (liveQueued.incrementAndGet() > capacity) {
            LOG.warning(() -> "A " + transport() + " subscriber of session " + sessionId + " fell " + capacity
                    + " events behind and is disconnected; it can resume from its last event id");
            close("slow_subscriber", "Too far behind (" + capacity + " events queued); reconnect with your last event id");
            return;
        }
        enqueue(new Outgoing(event, true));
    }

    @Override
    public void replay(SequencedEvent event) {
        if (!closed.get()) {
            enqueue(new Outgoing(event, false));
        }
    }

    private void enqueue(Outgoing outgoing) {
        queue.add(outgoing);
        scheduleDrain();
    }

    /** Sends a keep-alive if nothing was written for {@code idleNanos}. */
    void heartbeatIfIdle(long idleNanos) {
        if (!closed.get() && System.nanoTime() - lastWriteNanos >= idleNanos && queue.isEmpty()) {
            enqueue(HEARTBEAT);
        }
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
            farewell = new String[] {reasonCode, reason};
            queue.clear();
            onClose.run();
            scheduleDrain();
        }
    }

    private void scheduleDrain() {
        if (draining.compareAndSet(false, true)) {
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
                if (next == HEARTBEAT) {
                    writeHeartbeat();
                } else {
                    write(next.event());
                }
                lastWriteNanos = System.nanoTime();
            }
        } catch (Exception e) {
            LOG.log(Level.FINE, "A " + transport() + " subscriber of session " + sessionId + " went away", e);
            close(null, null);
        } finally {
            draining.set(false);
        }
        if (closed.get()) {
            sayFarewell();
        } else if (!queue.isEmpty()) {
            scheduleDrain();
        }
    }

    private void sayFarewell() {
        String[] last;
        synchronized (this) {
            last = farewell;
            farewell = null;
        }
        if (last != null) {
            try {
                disconnect(last[0], last[1]);
            } catch (Exception e) {
                LOG.log(Level.FINE, "Closing a " + transport() + " subscriber of session " + sessionId + " failed", e);
            }
        }
    }

    protected abstract String transport();

    protected abstract void write(SequencedEvent event) throws Exception;

    protected abstract void writeHeartbeat() throws Exception;

    protected abstract void disconnect(String reasonCode, String reason) throws Exception;
}
