package io.assistantstream.upstream.control;

import io.assistantstream.platform.UpstreamSettings;
import io.assistantstream.upstream.entity.FailureCode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

/**
 * What one answer may spend: silence between bytes up to the idle timeout, the whole answer up to its maximum
 * duration, and up to its maximum size. Says how long the next read may wait and which limit an answer ran into.
 */
public final class AnswerBudget {

    private final Duration idleTimeout;
    private final long deadlineNanos;
    private final long maxBytes;
    private long bytes;

    public AnswerBudget(UpstreamSettings limits, long startNanos) {
        this.idleTimeout = limits.idleTimeout();
        this.deadlineNanos = startNanos + limits.maxDuration().toNanos();
        this.maxBytes = limits.maxResponseBytes();
    }

    /** The idle timeout, or less when the answer's maximum duration ends sooner. */
    Duration nextWait(long nowNanos) {
        Duration left = Duration.ofNanos(Math.max(1, deadlineNanos - nowNanos));
        return left.compareTo(idleTimeout) < 0 ? left : idleTimeout;
    }

    /** Counts what arrived; the limit it broke, or null while the answer is within its budget. */
    FailureCode spend(List<ByteBuffer> buffers, long nowNanos) {
        if (nowNanos - deadlineNanos >= 0) {
            return FailureCode.UPSTREAM_DURATION_EXCEEDED;
        }
        for (ByteBuffer buffer : buffers) {
            bytes += buffer.remaining();
        }
        return bytes > maxBytes ? FailureCode.UPSTREAM_TOO_LARGE : null;
    }

    /** What a wait that timed out means: the maximum duration when it has passed, else silence. */
    FailureCode silence(long nowNanos) {
        return nowNanos - deadlineNanos >= 0 ? FailureCode.UPSTREAM_DURATION_EXCEEDED : FailureCode.UPSTREAM_TIMEOUT;
    }
}
