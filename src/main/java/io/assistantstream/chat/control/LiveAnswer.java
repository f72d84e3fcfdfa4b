package io.assistantstream.chat.control;

import io.assistantstream.upstream.control.UpstreamCall;
import java.util.ArrayList;
import java.util.List;

/**
 * An answer while it streams: the text relayed so far (kept if the answer fails), the changes it brought, and
 * the handle that cancels it. Touched only by the thread that reads the answer, except for {@link #call()}.
 */
final class LiveAnswer {

    private final String sessionId;
    private final String messageId;
    private final StringBuilder text = new StringBuilder();
    private final List<String> changeIds = new ArrayList<>();
    private volatile UpstreamCall call;

    LiveAnswer(String sessionId, String messageId) {
        this.sessionId = sessionId;
        this.messageId = messageId;
    }

    String sessionId() {
        return sessionId;
    }

    String messageId() {
        return messageId;
    }

    void append(String chunk) {
        text.append(chunk);
    }

    String textSoFar() {
        return text.toString();
    }

    void addChange(String changeId) {
        changeIds.add(changeId);
    }

    List<String> changeIds() {
        return List.copyOf(changeIds);
    }

    UpstreamCall call() {
        return call;
    }

    void call(UpstreamCall upstreamCall) {
        this.call = upstreamCall;
    }
}
