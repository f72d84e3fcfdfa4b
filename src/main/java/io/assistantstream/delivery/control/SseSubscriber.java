package io.assistantstream.delivery.control;

import io.assistantstream.platform.Json;
import io.assistantstream.delivery.entity.Transport;
import io.assistantstream.stream.entity.SequencedEvent;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** A subscriber on the SSE endpoint: {@code id}, {@code event} and one-line JSON {@code data}, flushed at once. */
public final class SseSubscriber extends QueuedSubscriber {

    private static final long WRITE_TIMEOUT_SECONDS = 30;

    private final SseEventSink sink;
    private final Sse sse;

    public SseSubscriber(String sessionId, int historyEvents, Executor sender, SseEventSink sink, Sse sse) {
        super(sessionId, Transport.SSE, historyEvents, sender);
        this.sink = sink;
        this.sse = sse;
    }


    @Override
    protected void write(SequencedEvent event) throws Exception {
        OutboundSseEvent.Builder builder = sse.newEventBuilder()
                .name(event.name())
                .mediaType(MediaType.TEXT_PLAIN_TYPE)
                .data(String.class, event.dataJson());
        if (!event.isNotice()) {
            builder.id(Long.toString(event.id()));
        }
        send(builder.build());
    }

    @Override
    protected void writeHeartbeat() throws Exception {
        send(sse.newEventBuilder().comment("heartbeat").build());
    }

    @Override
    protected void disconnect(String reasonCode, String reason) throws Exception {
        try {
            if (reasonCode != null && !sink.isClosed()) {
                var data = Json.object().put("code", reasonCode).put("message", reason);
                sink.send(sse.newEventBuilder().name("error").mediaType(MediaType.TEXT_PLAIN_TYPE)
                        .data(String.class, Json.write(data)).build());
            }
        } finally {
            sink.close();
        }
    }

    private void send(OutboundSseEvent event) throws Exception {
        if (sink.isClosed()) {
            throw new IllegalStateException("the SSE client disconnected");
        }
        sink.send(event).toCompletableFuture().get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
