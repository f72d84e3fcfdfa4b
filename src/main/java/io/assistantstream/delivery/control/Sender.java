package io.assistantstream.delivery.control;

import io.assistantstream.stream.control.ReadFrom;
import io.assistantstream.stream.entity.SequencedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one writer of one connection: reads on from the subscriber's {@link Cursor}, what is for its client alone
 * first ({@link Outbox}), and hands each event to the transport while the transport has room. It runs as a task
 * on the senders' executor only while there is something to write, never two at once, and never waits for the
 * client: a transport without room says so, and calls back when it has some.
 */
final class Sender {

    private static final Logger LOG = Logger.getLogger(Sender.class.getName());

    /** How many events it reads from the window at once. */
    static final int BATCH = 64;

    private final LogSubscriber subscriber;
    private final Executor executor;
    final Cursor cursor = new Cursor();
    final Outbox outbox = new Outbox();
    final Liveness liveness = new Liveness();
    private final AtomicBoolean running = new AtomicBoolean();
    /** When the write under way began; 0 while none is. */
    private volatile long writingSinceNanos;

    Sender(LogSubscriber subscriber, Executor executor) {
        this.subscriber = subscriber;
        this.executor = executor;
    }

    /** Starts a task unless one runs (it will see what is new before it ends). */
    void schedule() {
        if (running.compareAndSet(false, true)) {
            executor.execute(this::run);
        }
    }

    boolean isRunning() {
        return running.get();
    }

    /** Whether something waits to be read or written by it. */
    boolean hasWork() {
        return cursor.hasMore() || !outbox.isEmpty();
    }

    long writingSinceNanos() {
        return writingSinceNanos;
    }

    private void run() {
        try {
            List<SequencedEvent> batch = new ArrayList<>(BATCH);
            while (!subscriber.isClosed() && subscriber.readyForMore()) {
                SequencedEvent own = outbox.poll();
                if (own != null) {
                    send(own, false);
                    continue;
                }
                ReadFrom move = cursor.takeMove();
                if (move != null) {
                    if (move.notice() != null) {
                        subscriber.replayTruncated();
                        send(move.notice(), false);
                    }
                    continue;
                }
                batch.clear();
                if (cursor.read(BATCH, batch) == Cursor.Read.BEHIND) {
                    subscriber.fellBehind();
                    break;
                }
                if (batch.isEmpty()) {
                    break;
                }
                for (int i = 0; i < batch.size() && !subscriber.isClosed() && !cursor.isMoving() && outbox.isEmpty()
                        && (i == 0 || subscriber.readyForMore()); i++) {
                    send(batch.get(i), true);
                }
            }
            if (!subscriber.isClosed()) {
                subscriber.flush();
            }
        } catch (Exception e) {
            LOG.log(Level.FINE, "A " + subscriber.transport().label() + " subscriber of session "
                    + subscriber.sessionId() + " went away", e);
            subscriber.close(null, null);
        } finally {
            writingSinceNanos = 0;
            running.set(false);
        }
        if (subscriber.isClosed()) {
            subscriber.sayFarewell();
        } else if (hasWork() && subscriber.readyForMore()) {
            subscriber.writable();
        }
    }

    private void send(SequencedEvent event, boolean fromLog) throws Exception {
        writingSinceNanos = System.nanoTime();
        if (event == Outbox.HEARTBEAT || event == Outbox.PROBE) {
            subscriber.writeHeartbeat();
        } else {
            subscriber.write(event);
            subscriber.delivered();
        }
        if (fromLog) {
            cursor.wrote(event.id());
        }
        writingSinceNanos = 0;
        subscriber.progressed();
        liveness.wrote(event == Outbox.PROBE, System.nanoTime());
    }
}
