package io.assistantstream.stream.control;

import io.assistantstream.platform.Json;
import io.assistantstream.stream.entity.SequencedEvent;

/** The notice a resuming client gets when the events after its last id are no longer all retained. */
public final class ReplayNotices {

    public static final String TRUNCATED = "replay_truncated";

    private ReplayNotices() {
    }

    /** Not part of the sequence (id 0): the client reloads the stored session and carries on with what follows. */
    public static SequencedEvent truncated(String sessionId, long requestedAfter, long oldestRetained, long lastId) {
        var data = Json.object()
                .put("session_id", sessionId)
                .put("requested_after", requestedAfter)
                .put("oldest_retained", oldestRetained)
                .put("last_event_id", lastId);
        return new SequencedEvent(0, TRUNCATED, Json.write(data));
    }
}
