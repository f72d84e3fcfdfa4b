package io.assistantstream.upstream.entity;

/** One dispatched event of a {@code text/event-stream}, as the WHATWG algorithm defines it. */
public record ServerSentEvent(String lastEventId, String type, String data) {
}
