package io.assistantstream.upstream.control;

import io.assistantstream.upstream.entity.AnswerRef;
import io.assistantstream.upstream.entity.FailureCode;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A handle on one streaming request to the AI service: it can be cancelled by the user from any thread, or
 * aborted by its reader when the service goes silent, and the answer then fails with that reason.
 */
public final class UpstreamCall {

    private final AnswerRef answer;
    private final AtomicReference<FailureCode> abortReason = new AtomicReference<>();
    private volatile Runnable closer = () -> {
    };

    public UpstreamCall(AnswerRef answer) {
        this.answer = answer;
    }

    public AnswerRef answer() {
        return answer;
    }

    /** Stops the upstream request; the answer ends as {@code cancelled} unless it already ended. */
    public void cancel() {
        abort(FailureCode.CANCELLED);
    }

    /** Stops the upstream request; the answer ends with this reason unless it already ended. */
    public void abort(FailureCode reason) {
        if (abortReason.compareAndSet(null, reason)) {
            closer.run();
        }
    }

    /** What closes the request in its current phase (the pending exchange, then the body stream). */
    void closeWith(Runnable closeAction) {
        closer = closeAction;
        if (abortReason.get() != null) {
            closeAction.run();
        }
    }

    public FailureCode abortReason() {
        return abortReason.get();
    }
}
