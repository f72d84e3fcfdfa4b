package io.assistantstream.chat.control;

import io.assistantstream.changes.entity.ChangeContext;
import io.assistantstream.upstream.control.UpstreamCall;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An answer while it streams: the text relayed so far (kept if the answer fails), the changes it brought, and
 * the handle that cancels it. Touched only by the thread that reads the answer, except for {@link #call()}.
 */
final class LiveAnswer {

    private final String sessionId;
    private final String messageId;
    private final boolean workflowSession;
    private final String jobCodeAtStart;
    private final StringBuilder text = new StringBuilder();
    private final List<String> changeIds = new ArrayList<>();
    private final Set<String> seenChangeDigests = new HashSet<>();
    private volatile UpstreamCall call;

    LiveAnswer(String sessionId, String messageId, boolean workflowSession, String jobCodeAtStart) {
        this.sessionId = sessionId;
        this.messageId = messageId;
        this.workflowSession = workflowSession;
        this.jobCodeAtStart = jobCodeAtStart;
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

    ChangeContext changeContext() {
        return new ChangeContext(sessionId, messageId, workflowSession, jobCodeAtStart, seenChangeDigests);
    }

    UpstreamCall call() {
        return call;
    }

    void call(UpstreamCall upstreamCall) {
        this.call = upstreamCall;
    }
}
