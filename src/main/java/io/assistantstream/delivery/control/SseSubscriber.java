package io.assistantstream.delivery.control;

import io.assistantstream.delivery.entity.Transport;
import io.assistantstream.platform.Json;
import io.assistantstream.platform.Lifecycle;
import io.assistantstream.stream.entity.SequencedEvent;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A subscriber on the SSE endpoint: {@code id}, {@code event} and one-line JSON {@code data} per event, a comment
 * as heartbeat.
 *
 * <p>It writes through the servlet's non-blocking output, and no thread waits for a client: it hands the
 * connection an event only while the container says it can take one ({@code isReady}), and the container calls
 * back when it can again. So a client that stops reading holds no sender thread, and what it costs is what the
 * container buffers for the connection before it says no (README, "Slow subscribers", measured per server). JAX-RS's
 * own {@code SseEventSink} cannot do this: its send blocks the calling thread until the container took the bytes.
 */
public final class SseSubscriber extends LogSubscriber implements WriteListener, AsyncListener {

    private static final Logger LOG = Logger.getLogger(SseSubscriber.class.getName());
    private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.US_ASCII);

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile AsyncContext async;
    private volatile ServletOutputStream out;
    /** When the container last said it could take no more; 0 while it can. */
    private volatile long refusedSinceNanos;
    /** Guards the output stream: the sender, the farewell and its timer may reach it from different threads. */
    private final Object stream = new Object();
    private boolean unflushed;
    private volatile byte[] farewell;

    public SseSubscriber(String sessionId, Executor sender, HttpServletRequest request,
                         HttpServletResponse response, ScheduledExecutorService timer) {
        super(sessionId, Transport.SSE, sender);
        this.request = request;
        this.response = response;
        this.timer = timer;
        hold();
    }

    /**
     * Commits the stream's headers and hands the connection to non-blocking output; events queued since the
     * subscriber was attached go out from the container's first call back on.
     */
    public void start() throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        async = request.startAsync();
        async.setTimeout(0);
        async.addListener(this);
        out = response.getOutputStream();
        // Committed now, in the blocking mode where that is allowed: the resource's runtime answers for its own
        // method once it returns, and a committed response keeps what it said.
        response.flushBuffer();
        out.setWriteListener(this);
    }

    /**
     * The container's call back touches no stream itself: the sender is the connection's only writer, so the
     * stream is never written from two threads (nor locked from inside the container's notification).
     */
    @Override
    public void onWritePossible() {
        refusedSinceNanos = 0;
        progressed();
        byte[] last = farewell;
        if (last != null) {
            timer.execute(() -> end(last));
        } else if (isHeld()) {
            release();
            probe(); // the client sees its stream begin at once, even with nothing queued
        } else {
            writable();
        }
    }

    @Override
    protected boolean readyForMore() {
        synchronized (stream) {
            if (out != null && out.isReady()) {
                return true;
            }
        }
        refused();
        return false;
    }

    private void refused() {
        if (refusedSinceNanos == 0) {
            refusedSinceNanos = System.nanoTime();
        }
    }

    @Override
    protected long unfinishedWriteSinceNanos() {
        return refusedSinceNanos;
    }

    @Override
    protected void write(SequencedEvent event) throws IOException {
        String frame = (event.isNotice() ? "" : "id: " + event.id() + "\n") + "event: " + event.name() + "\ndata: "
                + event.dataJson() + "\n\n";
        send(frame.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected void writeHeartbeat() throws IOException {
        send(HEARTBEAT);
    }

    /**
     * Buffered until the sender runs out of events or the buffer fills: the container holds each flushed piece in
     * a buffer of its own (8 KB on Payara), so flushing every event of a few hundred bytes would multiply what a
     * stalled client costs.
     */
    private void send(byte[] bytes) throws IOException {
        synchronized (stream) {
            unflushed = true;
            out.write(bytes);
        }
    }

    /** A flush the container cannot take yet happens when it calls back (and counts as waiting meanwhile). */
    @Override
    protected void flush() throws IOException {
        synchronized (stream) {
            if (!unflushed) {
                return;
            }
            if (out.isReady()) {
                unflushed = false;
                out.flush();
                return;
            }
        }
        refused();
    }

    /**
     * A final {@code error} event with the reason, after what is already under way; a client that takes nothing
     * for {@link WebSocketSubscriber#FAREWELL_TIMEOUT_SECONDS} s has its stream ended without it.
     */
    @Override
    protected void disconnect(String reasonCode, String reason) {
        if (reasonCode == null || out == null) {
            end(null);
            return;
        }
        String data = Json.write(Json.object().put("code", reasonCode).put("message", reason));
        // A stopping server asks EventSource to come back soon: through a balancer it lands on another server.
        String retry = LogSubscriber.SERVER_STOPPING.equals(reasonCode)
                ? "retry: " + Lifecycle.RETRY_AFTER_SECONDS * 1000 + "\n" : "";
        byte[] last = (retry + "event: error\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
        boolean ready;
        synchronized (stream) {
            ready = out.isReady();
        }
        if (ready) {
            end(last);
        } else {
            farewell = last;
            timer.schedule(() -> end(null), WebSocketSubscriber.FAREWELL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private void end(byte[] last) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        try {
            synchronized (stream) {
                if (last != null) {
                    out.write(last);
                }
            }
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.FINE, "The farewell to an SSE subscriber of session " + sessionId() + " failed", e);
        } finally {
            complete();
        }
    }

    private void complete() {
        try {
            if (async != null) {
                async.complete();
            }
        } catch (IllegalStateException e) {
            LOG.log(Level.FINE, "The SSE stream of session " + sessionId() + " had ended already", e);
        }
    }

    @Override
    public void onError(Throwable failure) {
        LOG.log(Level.FINE, "An SSE subscriber of session " + sessionId() + " went away", failure);
        close(null, null);
    }

    @Override
    public void onError(AsyncEvent event) {
        onError(event.getThrowable());
    }

    @Override
    public void onComplete(AsyncEvent event) {
        ended.set(true);
        close(null, null);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        close(null, null);
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // The stream starts once, in start().
    }
}
