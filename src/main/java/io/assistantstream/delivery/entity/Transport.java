package io.assistantstream.delivery.entity;

import java.util.Locale;

/** How a client is connected, and what that means for noticing that it left. */
public enum Transport {
    /**
     * The container hears of a client's close only when a write fails: it does not read a request whose body
     * has ended. So the relay probes an SSE connection after a write that nothing followed.
     */
    SSE("SSE", true),
    /** The container reads the connection (for frames from the client) and reports a close at once. */
    WEBSOCKET("WebSocket", false);

    private final String label;
    private final boolean detectsGoneClientsByWriting;

    Transport(String label, boolean detectsGoneClientsByWriting) {
        this.label = label;
        this.detectsGoneClientsByWriting = detectsGoneClientsByWriting;
    }

    /** As log lines name it. */
    public String label() {
        return label;
    }

    /** As {@code GET /api/health/subscribers} names it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean detectsGoneClientsByWriting() {
        return detectsGoneClientsByWriting;
    }
}
