package io.assistantstream.stream.entity;

/**
 * A client event with its place in the session's sequence, serialised once for every transport and every
 * subscriber: {@code dataJson} for SSE, {@code webSocketFrame} (api.md's {@code {"event":"NAME","id":N,"data":{...}}})
 * for WebSocket. {@code id} is 0 for a notice that is not part of the sequence (it is sent without an id).
 */
public record SequencedEvent(long id, String name, String dataJson, String webSocketFrame) {

    public SequencedEvent(long id, String name, String dataJson) {
        this(id, name, dataJson, "{\"event\":\"" + name + "\"" + (id == 0 ? "" : ",\"id\":" + id) + ",\"data\":"
                + dataJson + "}");
    }

    public boolean isNotice() {
        return id == 0;
    }
}
