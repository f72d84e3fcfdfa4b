package io.assistantstream.chat.control;

import io.assistantstream.upstream.control.UpstreamCall;
import io.assistantstream.upstream.entity.FailureCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An answer while it streams: the text relayed so far (kept if the answer fails), the changes it brought, and
 * the handle that cancels it. Touched only by the thread that reads the answer, except for the call and its abort.
 */
final class LiveAnswer {

    private final String sessionId;
    private final String messageId;
    private final StringBuilder text = new StringBuilder();
    private final List<String> changeIds = new ArrayList<>();
    private final long startedNanos;
    private long firstEventNanos;
    /** When the text so far was last stored, and how much of it. */
    private long savedNanos;
    private int savedLength;
    private int chunks;
    private String apolloVersion;
    private UpstreamCall call;
    private FailureCode abortedWith;

    LiveAnswer(String sessionId, String messageId) {
        this(sessionId, messageId, System.nanoTime());
    }

    LiveAnswer(String sessionId, String messageId, long startedNanos) {
        this.sessionId = sessionId;
        this.messageId = messageId;
        this.startedNanos = startedNanos;
        this.savedNanos = startedNanos;
    }

    String sessionId() {
        return sessionId;
    }

    String messageId() {
        return messageId;
    }

    void append(String chunk) {
        text.append(chunk);
        chunks++;
    }

    /** Marks the first upstream event's arrival (later calls change nothing). */
    void upstreamAnswered() {
        if (firstEventNanos == 0) {
            firstEventNanos = System.nanoTime();
        }
    }

    /** From the question to the first upstream event; null when none came. */
    Duration timeToFirstEvent() {
        return firstEventNanos == 0 ? null : Duration.ofNanos(firstEventNanos - startedNanos);
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    int chunks() {
        return chunks;
    }

    String textSoFar() {
        return text.toString();
    }

    /**
     * The text so far when it is due to be stored (new text, and {@code every} since the last time it was, or
     * since the question), else null; a server killed mid-answer then loses at most about that much of it.
     */
    String partialDue(long nowNanos, Duration every) {
        if (text.length() == savedLength || nowNanos - savedNanos < every.toNanos()) {
            return null;
        }
        savedNanos = nowNanos;
        savedLength = text.length();
        return text.toString();
    }

    /** The Apollo version the service reported (null: it did not say). */
    void servedBy(String version) {
        apolloVersion = version;
    }

    String apolloVersion() {
        return apolloVersion;
    }

    void addChange(String changeId) {
        changeIds.add(changeId);
    }

    List<String> changeIds() {
        return List.copyOf(changeIds);
    }

    /** The upstream call once started; an abort that came before it is passed on as it starts. */
    synchronized void call(UpstreamCall upstreamCall) {
        this.call = upstreamCall;
        if (abortedWith != null) {
            upstreamCall.abort(abortedWith);
        }
    }

    void cancel() {
        abort(FailureCode.CANCELLED);
    }

    synchronized void abort(FailureCode reason) {
        if (abortedWith == null) {
            abortedWith = reason;
        }
        if (call != null) {
            call.abort(reason);
        }
    }
}
