package io.assistantstream.delivery.control;

import io.assistantstream.delivery.entity.Transport;
import io.assistantstream.stream.entity.SequencedEvent;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A subscriber on the WebSocket endpoint: one text frame per event, pings as heartbeats.
 *
 * <p>Frames go out through the asynchronous remote with up to {@value #SENDS_IN_FLIGHT} unfinished at once: the
 * basic remote waits for every frame's completion, which the benchmark showed costs a round trip through the
 * container per frame (1.3 s median latency at 1,000 subscribers against 31 ms for SSE). The window keeps the
 * stall rule honest: a client that stops reading stalls its sender after a few frames, and a sender stalled for
 * {@code stream.stall-seconds} cuts it off.
 */
public final class WebSocketSubscriber extends QueuedSubscriber {

    /** The close code for a subscriber that fell too far behind (the application range of RFC 6455). */
    static final int CLOSE_SLOW = 4008;

    private static final int SENDS_IN_FLIGHT = 16;
    private static final long WRITE_TIMEOUT_SECONDS = 30;

    private final Session socket;
    private final ArrayDeque<Future<Void>> inFlight = new ArrayDeque<>();

    public WebSocketSubscriber(String sessionId, int historyEvents, Executor sender, Session socket) {
        super(sessionId, Transport.WEBSOCKET, historyEvents, sender);
        this.socket = socket;
    }


    @Override
    protected void write(SequencedEvent event) throws Exception {
        inFlight.add(outsideApplicationClassLoader(() -> socket.getAsyncRemote().sendText(event.webSocketFrame())));
        while (!inFlight.isEmpty() && (inFlight.size() > SENDS_IN_FLIGHT || inFlight.peek().isDone())) {
            inFlight.remove().get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Override
    protected void writeHeartbeat() throws Exception {
        awaitInFlight();
        outsideApplicationClassLoader(() -> {
            socket.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
            return null;
        });
    }

    /**
     * Tyrus re-arms the session's idle timer on every frame, on the container's managed scheduler, even with the
     * idle timeout off; Payara captures the calling thread's context for each such task by looking up context
     * providers through the thread's context class loader, which scans every jar of the application and the
     * server (two thirds of the server's CPU under load in the benchmark's profile). Sending with the platform
     * class loader as context loader keeps that lookup to the JDK's own modules; the frame needs no application
     * class.
     */
    private static <T> T outsideApplicationClassLoader(Callable<T> send) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader application = thread.getContextClassLoader();
        thread.setContextClassLoader(ClassLoader.getPlatformClassLoader());
        try {
            return send.call();
        } finally {
            thread.setContextClassLoader(application);
        }
    }

    private void awaitInFlight() throws Exception {
        while (!inFlight.isEmpty()) {
            inFlight.remove().get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /**
     * The close frame goes out after the frames already sent have left: a container that closes the connection
     * right behind its close frame would otherwise drop the ones still queued, and the client would see the
     * connection break without the reason.
     */
    @Override
    protected void disconnect(String reasonCode, String reason) throws Exception {
        try {
            if (reasonCode != null) {
                awaitInFlight();
            }
        } finally {
            if (socket.isOpen()) {
                socket.close(closeReason(reasonCode));
            }
        }
    }

    /** 1013 (try again later) when the event log went away, 1001 when the server stops, 4008 when too slow. */
    static CloseReason closeReason(String reasonCode) {
        if (reasonCode == null) {
            return new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "");
        }
        CloseReason.CloseCode code = switch (reasonCode) {
            case QueuedSubscriber.STREAM_INTERRUPTED -> CloseReason.CloseCodes.TRY_AGAIN_LATER;
            case QueuedSubscriber.SERVER_STOPPING -> CloseReason.CloseCodes.GOING_AWAY;
            default -> CloseReason.CloseCodes.getCloseCode(CLOSE_SLOW);
        };
        return new CloseReason(code, reasonCode);
    }
}
