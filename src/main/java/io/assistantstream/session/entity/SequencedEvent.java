package io.assistantstream.session.entity;

/**
 * A client event with its place in the session's sequence, serialised once for every transport.
 * {@code id} is 0 for a notice that is not part of the sequence (it is sent without an id).
 */
public record SequencedEvent(long id, String name, String dataJson) {

    public boolean isNotice() {
        return id == 0;
    }

    /** The WebSocket text frame of api.md: {@code {"event":"NAME","id":N,"data":{...}}}. */
    public String webSocketFrame() {
        String idPart = isNotice() ? "" : ",\"id\":" + id;
        return "{\"event\":\"" + name + "\"" + idPart + ",\"data\":" + dataJson + "}";
    }
}
