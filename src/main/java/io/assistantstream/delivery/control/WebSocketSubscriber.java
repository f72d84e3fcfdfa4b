package io.assistantstream.delivery.control;

import io.assistantstream.delivery.entity.Transport;
import io.assistantstream.platform.Json;
import io.assistantstream.stream.entity.SequencedEvent;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A subscriber on the WebSocket endpoint: one text frame per event, pings as heartbeats.
 *
 * <p>Frames go out through the asynchronous remote, and no thread waits for them: at most {@code bytesInFlight}
 * bytes of frames are unfinished at once (always at least one frame), and each completion hands the sender the
 * next ones. So a client that stops reading holds no sender thread, only its window; its oldest unfinished frame
 * ages, and once it is {@code stream.stall-seconds} old the client is cut off. The window also keeps the
 * container's own write queue for the connection at about its size. (The basic remote would wait a round trip
 * through the container per frame: 1.3 s median latency at 1,000 subscribers in the benchmark, against 31 ms for
 * SSE.)
 */
public final class WebSocketSubscriber extends LogSubscriber {

    private static final Logger LOG = Logger.getLogger(WebSocketSubscriber.class.getName());

    /** The close code for a subscriber that fell too far behind (the application range of RFC 6455). */
    static final int CLOSE_SLOW = 4008;

    /** How long a farewell waits for the frames before it to leave, before the connection is closed anyway. */
    static final long FAREWELL_TIMEOUT_SECONDS = 30;

    /** A frame under way: when it was handed to the container and how many bytes it holds. */
    private record Unfinished(long sinceNanos, int bytes) {
    }

    private final Session socket;
    private final long bytesInFlight;
    private final ScheduledExecutorService timer;
    private final ConcurrentLinkedQueue<Unfinished> unfinished = new ConcurrentLinkedQueue<>();
    private final AtomicLong unfinishedBytes = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile CloseReason farewell;
    private volatile String farewellText;
    private final AtomicBoolean goodbye = new AtomicBoolean();

    public WebSocketSubscriber(String sessionId, Executor sender, Session socket,
                               long bytesInFlight, ScheduledExecutorService timer) {
        super(sessionId, Transport.WEBSOCKET, sender);
        this.socket = socket;
        this.bytesInFlight = bytesInFlight;
        this.timer = timer;
    }

    @Override
    protected boolean readyForMore() {
        return unfinishedBytes.get() < bytesInFlight;
    }

    @Override
    protected long unfinishedWriteSinceNanos() {
        Unfinished oldest = unfinished.peek();
        return oldest == null ? 0 : oldest.sinceNanos();
    }

    @Override
    protected void write(SequencedEvent event) throws Exception {
        String frame = event.webSocketFrame();
        // Bytes in flight are counted in UTF-16 units times one: close enough to the UTF-8 length for a bound.
        Unfinished sent = new Unfinished(System.nanoTime(), frame.length());
        unfinished.add(sent);
        unfinishedBytes.addAndGet(sent.bytes());
        outsideApplicationClassLoader(() -> {
            socket.getAsyncRemote().sendText(frame, this::sent);
            return null;
        });
    }

    /**
     * A frame left (or failed): frames complete in the order they were sent, so it is the oldest one. A farewell
     * waiting for it is closed from another thread: Tyrus on Payara, closed from inside its own write completion,
     * ended the connection without the close frame (SlowSubscriberIT, two runs in three; none in eight since).
     */
    private void sent(SendResult result) {
        Unfinished done = unfinished.poll();
        if (done != null) {
            unfinishedBytes.addAndGet(-done.bytes());
        }
        progressed();
        if (!result.isOK()) {
            LOG.log(Level.FINE, "A WebSocket subscriber of session " + sessionId() + " went away", result.getException());
            close(null, null);
        } else if (farewell != null && unfinished.isEmpty()) {
            CloseReason last = farewell;
            timer.execute(() -> sayGoodbye(last));
        } else {
            writable();
        }
    }

    @Override
    protected void writeHeartbeat() throws Exception {
        if (!unfinished.isEmpty()) {
            return; // frames under way keep the connection alive and show whether the client reads
        }
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

    /**
     * The close frame goes out after the frames already under way have left: a container that closes the
     * connection right behind its close frame would otherwise drop the ones still queued, and the client would
     * see the connection break without the reason. A client that takes none of them within
     * {@value #FAREWELL_TIMEOUT_SECONDS} s has its connection closed anyway.
     */
    @Override
    protected void disconnect(String reasonCode, String reason) {
        CloseReason closeReason = closeReason(reasonCode);
        if (reasonCode == null) {
            closeNow(closeReason);
            return;
        }
        farewellText = Json.write(Json.object().put("event", "error").set("data",
                Json.object().put("code", reasonCode).put("message", reason)));
        farewell = closeReason;
        timer.schedule(() -> closeNow(closeReason), FAREWELL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (unfinished.isEmpty()) {
            sayGoodbye(closeReason);
        }
    }

    /**
     * The reason as a last text frame (as SSE's {@code error} event), then the close frame once that frame has
     * left. Tyrus on Payara closes the connection right after handing its close frame to the servlet output, and
     * drops the frame when the output is not ready for it: closing as soon as a large frame had left lost the
     * close frame whenever that frame had filled the output (SlowSubscriberIT, every run once the class archive
     * was fresh). After a frame of a few dozen bytes the output is ready again.
     */
    private void sayGoodbye(CloseReason reason) {
        if (!goodbye.compareAndSet(false, true)) {
            return;
        }
        try {
            outsideApplicationClassLoader(() -> {
                socket.getAsyncRemote().sendText(farewellText, result -> timer.execute(() -> closeNow(reason)));
                return null;
            });
        } catch (Exception e) {
            closeNow(reason);
        }
    }

    private void closeNow(CloseReason reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            if (socket.isOpen()) {
                socket.close(reason == null ? closeReason(null) : reason);
            }
        } catch (Exception e) {
            LOG.log(Level.FINE, "Closing a WebSocket subscriber of session " + sessionId() + " failed", e);
        }
    }

    /**
     * 1013 (try again later) when the event log went away, 1012 (service restart: reconnect) when the server stops,
     * 4008 when too slow.
     */
    static CloseReason closeReason(String reasonCode) {
        if (reasonCode == null) {
            return new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "");
        }
        CloseReason.CloseCode code = switch (reasonCode) {
            case LogSubscriber.STREAM_INTERRUPTED -> CloseReason.CloseCodes.TRY_AGAIN_LATER;
            case LogSubscriber.SERVER_STOPPING -> CloseReason.CloseCodes.SERVICE_RESTART;
            default -> CloseReason.CloseCodes.getCloseCode(CLOSE_SLOW);
        };
        return new CloseReason(code, reasonCode);
    }
}
