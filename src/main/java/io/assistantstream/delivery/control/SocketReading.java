package io.assistantstream.delivery.control;

import io.assistantstream.platform.ProblemException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * When a WebSocket starts reading its session, and from where (api.md's {@code resume} frame). A socket opened
 * with a last id reads after it at once. One opened without is attached <em>held</em> where the session stood at
 * its handshake and reads nothing until its first frame or the attach grace: a {@code resume} frame moves it to
 * after its id first, so a reconnecting client gets what it missed before any live event; any other frame, or the
 * grace running out, starts it from the handshake. Either way nothing published after the client saw its socket
 * open is lost. Once it reads, a resume moves it again (back, or on), between two of its writes.
 */
public final class SocketReading {

    private final LogSubscriber subscriber;
    /** Attaches the subscriber after a last id (again, when attached): {@link Subscriptions#attach}. */
    private final BiConsumer<LogSubscriber, OptionalLong> attach;
    private boolean held;
    private ScheduledFuture<?> releaseAfterGrace;

    public SocketReading(LogSubscriber subscriber, BiConsumer<LogSubscriber, OptionalLong> attach) {
        this.subscriber = subscriber;
        this.attach = attach;
    }

    /** Reads after {@code lastSeen} from now on. */
    public void startAfter(OptionalLong lastSeen) {
        move(lastSeen);
    }

    /** Attached at {@code from}, reading nothing until {@link #resume} or {@code grace} has passed. */
    public synchronized void hold(OptionalLong from, ScheduledExecutorService scheduler, Duration grace) {
        held = true;
        subscriber.hold();
        move(from);
        releaseAfterGrace = scheduler.schedule(() -> resume(OptionalLong.empty()), grace.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** A frame came: a resume with its id (a last id moves the socket), or any other (empty: it only starts). */
    public synchronized void resume(OptionalLong lastSeen) {
        if (lastSeen.isPresent() && !subscriber.isClosed()) {
            move(lastSeen);
        }
        if (held) {
            held = false;
            releaseAfterGrace.cancel(false);
            subscriber.release();
        }
    }

    /** The socket closed. */
    public synchronized void stop() {
        if (releaseAfterGrace != null) {
            releaseAfterGrace.cancel(false);
        }
    }

    /** The log cannot serve the session now: the client is told to come back, as for a log lost later. */
    private void move(OptionalLong lastSeen) {
        try {
            attach.accept(subscriber, lastSeen);
        } catch (ProblemException e) {
            subscriber.interrupted();
        }
    }
}
