package io.assistantstream.delivery.control;

import java.util.concurrent.TimeUnit;

/**
 * When a client is cut off as too slow, and what it and the log are told. Two reasons only: events have waited
 * for it for {@code stream.stall-seconds} and it took none of them (its client accepts no bytes, or its writes
 * could not even begin), or its position fell below its session's window ({@code stream.replay-buffer-events}:
 * past it, it could not go on without a gap). A burst is never a reason: a client that reads keeps up at its own
 * pace, however many events arrive at once. The clock is the time of the client's last progress.
 */
final class StallRule {

    /** What the log says happened, what would prevent it, and what the client is told. */
    record Verdict(String what, String remedy, String reason) {
    }

    private volatile long progressNanos = System.nanoTime();

    /** The client took a write, or events begin to wait for a client that had none waiting. */
    void progressed() {
        progressNanos = System.nanoTime();
    }

    /** Whether the client has made no progress for longer than {@code stallNanos}. */
    boolean exceeded(long stallNanos, long nowNanos) {
        return nowNanos - progressNanos > stallNanos;
    }

    static Verdict stalled(long stallNanos) {
        long seconds = TimeUnit.NANOSECONDS.toSeconds(stallNanos);
        return new Verdict("accepted no bytes for " + seconds + " s while events waited", "raise stream.stall-seconds",
                "Accepted no bytes for " + seconds + " s; reconnect with your last event id");
    }

    static Verdict fellBehind() {
        return new Verdict("fell behind the session's retained history", "raise stream.replay-buffer-events",
                "Too far behind (past the session's retained events); reconnect with your last event id");
    }
}
