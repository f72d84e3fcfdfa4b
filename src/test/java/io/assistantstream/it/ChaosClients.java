package io.assistantstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients that keep dropping: each reads a few events, cuts its connection in the middle of the next one and
 * reconnects at once with its last id, until the answer has ended. SSE runs on a raw socket (HTTP/1.0, so the body
 * is the bare stream; the cut is a close or a reset a few bytes into an event, dropping what it had buffered), WebSocket on the JDK's own client (a second
 * WebSocket library beside Tyrus; the cut is {@code abort()}, which drops the TCP connection), resuming by query
 * parameter or, every other time, by a {@code resume} frame.
 */
abstract class ChaosClients implements Runnable {

    final String label;
    final List<Received> events = new ArrayList<>();
    final AtomicInteger disconnects = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    final List<String> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();
    final Random random;
    private final String endsWith;
    volatile Throwable failure;
    private long lastId;

    ChaosClients(String label, long seed, String endingEvent) {
        this.label = label;
        this.random = new Random(seed);
        this.endsWith = endingEvent;
    }

    /** Keeps reconnecting until the ending event arrived. */
    @Override
    public void run() {
        try {
            while (!ended()) {
                int eventsBeforeCut = 1 + random.nextInt(4);
                if (!connectAndCut(lastId, eventsBeforeCut)) {
                    refused.incrementAndGet();
                    Thread.sleep(20);
                } else if (!ended()) {
                    disconnects.incrementAndGet();
                }
            }
        } catch (Throwable e) {
            failure = e;
        }
    }

    /** One connection: false when the server refused it. */
    abstract boolean connectAndCut(long lastSeenId, int eventsBeforeCut) throws Exception;

    synchronized void received(Received event) {
        if (event.id() > 0) {
            lastId = event.id();
        }
        events.add(event);
    }

    synchronized boolean ended() {
        return !events.isEmpty() && events.get(events.size() - 1).name().equals(endsWith);
    }

    synchronized List<Received> events() {
        return List.copyOf(events);
    }

    static final class Sse extends ChaosClients {
        private final URI uri;

        Sse(String eventsUrl, long seed, String endingEvent) {
            super("chaos SSE " + seed, seed, endingEvent);
            this.uri = URI.create(Clients.withToken(eventsUrl));
        }

        @Override
        boolean connectAndCut(long lastSeenId, int eventsBeforeCut) throws IOException {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
                socket.setSoTimeout(30_000);
                if (random.nextBoolean()) {
                    socket.setSoLinger(true, 0);
                }
                socket.getOutputStream().write(("GET " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.0\r\n"
                        + "Host: " + uri.getHost() + "\r\nAccept: text/event-stream\r\n"
                        + "Last-Event-ID: " + lastSeenId + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = new java.io.BufferedInputStream(socket.getInputStream(), 512);
                String head = EventStreamLines.readHead(in);
                if (!head.startsWith("HTTP/1.1 200 ") && !head.startsWith("HTTP/1.0 200 ")) {
                    refusals.add(head.lines().findFirst().orElse("(no answer)"));
                    return false;
                }
                readEvents(in, eventsBeforeCut);
                return true;
            }
        }

        /**
         * Dispatches complete events; after the given number, reads a few bytes more and returns (the cut). Read
         * byte by byte, so the cut lands anywhere: inside a field, a line end or a multi-byte character.
         */
        private void readEvents(InputStream in, int eventsBeforeCut) throws IOException {
            EventStreamLines stream = new EventStreamLines();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int dispatched = 0;
            int extraBytes = -1;
            int b;
            while ((b = in.read()) != -1) {
                if (extraBytes >= 0 && --extraBytes < 0) {
                    return;
                }
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                Received event = stream.line(line.toString(StandardCharsets.UTF_8).replaceFirst("\r$", ""));
                line.reset();
                if (event != null) {
                    received(event);
                    if (ended()) {
                        return;
                    }
                    if (++dispatched == eventsBeforeCut) {
                        extraBytes = 1 + random.nextInt(30);
                    }
                }
            }
        }
    }

    static final class Jdk extends ChaosClients {
        private static final HttpClient HTTP = HttpClient.newHttpClient();
        private final String url;

        Jdk(String socketUrl, long seed, String endingEvent) {
            super("chaos WebSocket " + seed, seed, endingEvent);
            this.url = Clients.withToken(socketUrl);
        }

        @Override
        boolean connectAndCut(long lastSeenId, int eventsBeforeCut) throws Exception {
            boolean byFrame = random.nextBoolean();
            CompletableFuture<Void> cut = new CompletableFuture<>();
            java.util.concurrent.atomic.AtomicBoolean current = new java.util.concurrent.atomic.AtomicBoolean(true);
            WebSocket.Listener listener = new WebSocket.Listener() {
                private final StringBuilder text = new StringBuilder();
                private int seen;

                @Override
                public CompletionStage<?> onText(WebSocket socket, CharSequence part, boolean last) {
                    text.append(part);
                    if (last) {
                        try {
                            JsonNode frame = Clients.JSON.readTree(text.toString());
                            // A frame that arrives after the client gave up this socket is not seen, as in a
                            // real client that has moved on to its next connection.
                            synchronized (Jdk.this) {
                                if (current.get()) {
                                    received(new Received(frame.path("event").asText(),
                                            frame.has("id") ? frame.get("id").asLong() : -1, frame.path("data")));
                                }
                            }
                        } catch (IOException e) {
                            cut.completeExceptionally(e);
                        }
                        text.setLength(0);
                        if (ended() || ++seen == eventsBeforeCut) {
                            cut.complete(null);
                        }
                    }
                    socket.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
                    cut.completeExceptionally(new IOException("closed by the server: " + code + " " + reason));
                    return null;
                }

                @Override
                public void onError(WebSocket socket, Throwable error) {
                    cut.completeExceptionally(error);
                }
            };
            String target = url + (byFrame ? "" : "&last_event_id=" + lastSeenId);
            WebSocket socket;
            try {
                socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                        .buildAsync(URI.create(target), listener).get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                refusals.add(String.valueOf(e.getCause()));
                return false;
            }
            if (byFrame) {
                socket.sendText("{\"type\":\"resume\",\"last_event_id\":" + lastSeenId + "}", true);
            }
            try {
                cut.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause().getMessage() != null && e.getCause().getMessage().contains("1013")) {
                    refusals.add(e.getCause().getMessage());
                    return false;
                }
                throw e;
            } finally {
                synchronized (this) {
                    current.set(false);
                }
                socket.abort();
            }
            return true;
        }
    }
}
