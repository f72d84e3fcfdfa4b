package io.assistantstream.upstream.control;

import io.assistantstream.platform.UpstreamSettings;
import io.assistantstream.upstream.entity.FailureCode;
import io.assistantstream.upstream.entity.UpstreamEvent;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/**
 * How an answer that broke off ends: one {@code streaming_error} with a code and words for the user. A reason the
 * relay asked for (a cancel, a limit, a shutdown) wins over the failure it caused, since closing the call is what
 * made the read fail.
 */
final class UpstreamFailures {

    private UpstreamFailures() {
    }

    /**
     * The end of an answer whose reading threw {@code failure}; {@code began} once the service at {@code url}
     * answered; {@code setting} names where that address is configured.
     */
    static UpstreamEvent.Failed of(Throwable failure, FailureCode askedFor, boolean began, String url,
                                   String setting, UpstreamSettings limits) {
        if (askedFor != null) {
            return stopped(askedFor, limits);
        }
        if (failure instanceof HttpConnectTimeoutException || failure instanceof ConnectException) {
            return new UpstreamEvent.Failed(FailureCode.UPSTREAM_UNREACHABLE, "Cannot connect to the AI service at "
                    + url + "; check " + setting + " and that the service is running");
        }
        if (failure instanceof HttpTimeoutException || failure instanceof ByteChunks.IdleException) {
            return stopped(FailureCode.UPSTREAM_TIMEOUT, limits);
        }
        if (failure instanceof EventStreamParser.EventTooLargeException) {
            return new UpstreamEvent.Failed(FailureCode.UPSTREAM_PROTOCOL_ERROR,
                    "The AI service sent an oversized event: " + failure.getMessage());
        }
        if (failure instanceof IOException || failure instanceof CancellationException) {
            return new UpstreamEvent.Failed(FailureCode.UPSTREAM_DISCONNECTED, began
                    ? "The connection to the AI service broke mid-answer: " + failure.getMessage()
                    : "The connection to the AI service broke before the answer began: " + failure);
        }
        return new UpstreamEvent.Failed(FailureCode.INTERNAL_ERROR,
                "The relay failed while handling the answer; see the server log");
    }

    /**
     * The end of a stream the service closed before {@code complete} or {@code error}. Apollo 3 sends no
     * heartbeats, so a quiet phase (the model writing a workflow) can end with the connection closed by Apollo or a
     * proxy between: how long it had been quiet tells which.
     */
    static UpstreamEvent.Failed closedAfterQuiet(long quietNanos) {
        long seconds = TimeUnit.NANOSECONDS.toSeconds(quietNanos);
        String message = seconds < 1
                ? "The AI service closed the stream before the answer was complete; ask again"
                : "The AI service closed the stream after " + seconds + " s without sending anything, before the "
                + "answer was complete (Apollo or a proxy between closes quiet connections); ask again";
        return new UpstreamEvent.Failed(FailureCode.UPSTREAM_DISCONNECTED, message);
    }

    /** The end of an answer stopped for {@code reason}, in the words {@link FailureCode} has for it. */
    static UpstreamEvent.Failed stopped(FailureCode reason, UpstreamSettings limits) {
        return new UpstreamEvent.Failed(reason, reason.message(limits));
    }
}
