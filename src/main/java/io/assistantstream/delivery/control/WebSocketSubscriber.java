package io.assistantstream.delivery.control;

import io.assistantstream.session.entity.SequencedEvent;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;

/** A subscriber on the WebSocket endpoint: one text frame per event, pings as heartbeats. */
public final class WebSocketSubscriber extends QueuedSubscriber {

    /** The close code for a subscriber that fell too far behind (the application range of RFC 6455). */
    static final int CLOSE_SLOW = 4008;

    private final Session socket;

    public WebSocketSubscriber(String sessionId, int capacity, Executor sender, Session socket) {
        super(sessionId, capacity, sender);
        this.socket = socket;
    }

    @Override
    protected String transport() {
        return "WebSocket";
    }

    @Override
    protected void write(SequencedEvent event) throws Exception {
        socket.getBasicRemote().sendText(event.webSocketFrame());
    }

    @Override
    protected void writeHeartbeat() throws Exception {
        socket.getBasicRemote().sendPing(ByteBuffer.allocate(0));
    }

    @Override
    protected void disconnect(String reasonCode, String reason) throws Exception {
        if (socket.isOpen()) {
            CloseReason close = reasonCode == null
                    ? new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "")
                    : new CloseReason(CloseReason.CloseCodes.getCloseCode(CLOSE_SLOW), reasonCode);
            socket.close(close);
        }
    }
}
