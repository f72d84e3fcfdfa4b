package io.assistantstream.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.websocket.Session;
import jakarta.ws.rs.sse.SseEventSource;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every subscriber gets every event, however it connects, drops and reconnects: clients that drop a thousand
 * times during one answer, clients that subscribe just before a question, connections that close without a word,
 * and a page that resumes an answer in flight.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DeliveryIT extends AgainstDeployment {

    private static final int CHAOS_DELTAS = 1500;
    private static final int SLOTS = 100;
    private static final long HEARTBEAT_MILLIS = 3000;
    /** The probe that follows a write nothing followed for 0.5 s, and the failed write it meets. */
    private static final long PROBE_ALLOWANCE_MILLIS = 1000;
    private static final int REPLAY_EVENTS = CHAOS_DELTAS + 1000;

    static RawApollo apollo;

    @Deployment(testable = false)
    static WebArchive deployment() throws IOException {
        apollo = new RawApollo();
        return Deployments.war(
                "apollo.url=" + apollo.url(),
                "stream.max-subscribers-per-session=" + SLOTS,
                "stream.heartbeat-seconds=" + HEARTBEAT_MILLIS / 1000,
                // Closed connections whose writes wait (on WildFly late in the suite) are cut off within it.
                "stream.stall-seconds=2",
                "stream.replay-buffer-events=" + REPLAY_EVENTS,
                "stream.websocket-attach-grace-millis=300");
    }

    @AfterAll
    static void stopApollo() throws IOException {
        apollo.close();
    }

    @Test
    void clientsThatDropAThousandTimesGetExactlyWhatACleanClientGets() throws Exception {
        String sessionId = newSession();
        String events = api() + "/sessions/" + sessionId + "/events";
        Recorder cleanSse = new Recorder("clean SSE");
        Recorder cleanSocket = new Recorder("clean WebSocket");
        SseEventSource sse = Clients.sse(events + "?last_event_id=0", cleanSse);
        Session socket = Clients.isolatedWebSocket(socketUrl(sessionId) + "?last_event_id=0", cleanSocket);
        List<ChaosClients> chaos = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            chaos.add(new ChaosClients.Sse(events, 100 + i, "streaming_complete"));
            chaos.add(new ChaosClients.Jdk(socketUrl(sessionId), 200 + i, "streaming_complete"));
        }
        ExecutorService threads = Executors.newFixedThreadPool(chaos.size());
        try {
            // 8 ms apart (about 12 s): a server still cold from its start reconnects slowly, and the thousand
            // disconnects must fit into the answer however fast this machine is (3,000 deltas gave 6,900 to 11,500).
            String answerId = ask(sessionId, "flood:" + CHAOS_DELTAS + ":40:8");
            chaos.forEach(threads::execute);
            cleanSse.await(e -> e.endsAnswer(answerId), 180_000);
            int disconnectsDuringAnswer = chaos.stream().mapToInt(c -> c.disconnects.get()).sum();
            threads.shutdown();
            assertTrue(threads.awaitTermination(120, TimeUnit.SECONDS), "every chaos client reached the end");
            cleanSocket.await(e -> e.endsAnswer(answerId), 30_000);

            List<String> expected = Sequences.of(cleanSse.events());
            assertEquals(CHAOS_DELTAS + 2, expected.size(), "message_created, every delta and streaming_complete");
            Sequences.assertSame(expected, Sequences.of(cleanSocket.events()), "the clean WebSocket");
            int refused = 0;
            for (ChaosClients client : chaos) {
                assertNull(client.failure, client.label + " failed: " + client.failure);
                Sequences.assertSame(expected, Sequences.of(client.events()), client.label);
                refused += client.refused.get();
                client.refusals.forEach(reason -> System.out.println(client.label + " was refused: " + reason));
            }
            System.out.printf("Chaos: %d clients, %d disconnects while the answer streamed, %d refused reconnects,"
                    + " no gap, no duplicate%n", chaos.size(), disconnectsDuringAnswer, refused);
            assertEquals(0, refused, "no reconnect was refused");
            assertTrue(disconnectsDuringAnswer >= 1000, "at least 1,000 disconnects during the answer, not "
                    + disconnectsDuringAnswer);
            JsonNode stored = Clients.get(api() + "/sessions/" + sessionId).body().path("messages").get(1);
            assertEquals("complete", stored.path("status").asText());
        } finally {
            threads.shutdownNow();
            sse.close();
            socket.close();
        }
    }

    @Test
    void aClientThatSawItsStreamBeginGetsTheQuestionThatFollows() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> firsts = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                firsts.add(threads.submit(this::firstEventsAfterSubscribingThenAsking));
            }
            int misses = 0;
            for (Future<String> first : firsts) {
                if (!first.get(60, TimeUnit.SECONDS).equals("message_created/message_created")) {
                    misses++;
                    System.out.println("First events (SSE/WebSocket): " + first.get());
                }
            }
            assertEquals(0, misses, "of 200 sessions, each with an SSE and a WebSocket client subscribed before"
                    + " the question, every client's first event is message_created");
        } finally {
            threads.shutdownNow();
        }
    }

    /** Subscribes over both transports, waits for each to be observably open, asks, returns each first event. */
    private String firstEventsAfterSubscribingThenAsking() throws Exception {
        String sessionId = newSession();
        URI events = URI.create(Clients.withToken(api() + "/sessions/" + sessionId + "/events"));
        CompletableFuture<String> socketFirst = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(Clients.withToken(socketUrl(sessionId))), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        try {
                            socketFirst.complete(Clients.JSON.readTree(data.toString()).path("event").asText());
                        } catch (IOException e) {
                            socketFirst.completeExceptionally(e);
                        }
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try (Socket sse = new Socket()) {
            sse.connect(new InetSocketAddress(events.getHost(), events.getPort()), 5_000);
            sse.setSoTimeout(20_000);
            sse.getOutputStream().write(("GET " + events.getRawPath() + "?" + events.getRawQuery()
                    + " HTTP/1.0\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = sse.getInputStream();
            int firstByte = in.read();
            assertTrue(firstByte >= 0, "the SSE response began");
            ask(sessionId, "flood:2:5");
            String sseFirst = firstEventName(in);
            return sseFirst + "/" + socketFirst.get(20, TimeUnit.SECONDS);
        } finally {
            socket.abort();
        }
    }

    private static String firstEventName(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            if (b != '\n') {
                line.append((char) b);
            } else if (line.toString().startsWith("event:")) {
                return line.substring(6).trim();
            } else {
                line.setLength(0);
            }
        }
        return "end of stream";
    }

    @Test
    void closedSseConnectionsFreeTheirSlots() throws Exception {
        String sessionId = newSession();
        String events = api() + "/sessions/" + sessionId + "/events";
        awaitSseSubscribers(0, 10_000);

        closeAll(openSse(events, SLOTS));
        try (Socket extra = openSse(events, 1).get(0)) {
            assertTrue(extra.isConnected(), "a subscriber past the bound's dead connections is accepted at once");
        }

        closeAll(openSse(events, SLOTS));
        long idleMillis = awaitSseSubscribers(0, HEARTBEAT_MILLIS * 3);
        System.out.printf("Idle: %d closed SSE connections held their slots for %d ms (heartbeat %d ms)%n",
                SLOTS, idleMillis, HEARTBEAT_MILLIS);
        // The heartbeat is the first write to the closed connection, which succeeds; the probe 0.5 s after it fails.
        assertTrue(idleMillis <= HEARTBEAT_MILLIS + PROBE_ALLOWANCE_MILLIS,
                "freed within one heartbeat interval and its probe: " + idleMillis);

        // Long enough (6,000 deltas 2 ms apart, over 12 s) that events still flow while the connections close,
        // however long opening a hundred of them takes on a loaded machine.
        String answerId = ask(sessionId, "flood:6000:20:2");
        await("the answer streams").atMost(Duration.ofSeconds(10))
                .until(() -> !Clients.get(api() + "/sessions/" + sessionId).body().path("streaming").isMissingNode());
        closeAll(openSse(events, SLOTS));
        long streamingMillis = awaitSseSubscribers(0, HEARTBEAT_MILLIS * 3);
        System.out.printf("Streaming: %d closed SSE connections held their slots for %d ms%n", SLOTS, streamingMillis);
        // Usually within 0.1 s (the first failed write); bounded here by the heartbeat interval, as idle: late in
        // the WildFly suite on Redis the writes of these hundred stalled for 2.2 s in every full run since the
        // metrics came in (README, Known gaps), and the heartbeat path is what frees them then.
        assertTrue(streamingMillis <= HEARTBEAT_MILLIS, "freed within one heartbeat while events flow: "
                + streamingMillis);
        // Cancelled now, not read to its end: what follows the drops is a subscriber seeing the answer end.
        assertEquals(202, Clients.post(api() + "/sessions/" + sessionId + "/messages/" + answerId + "/cancel", null)
                .status());
        Recorder rest = new Recorder("after the drops");
        try (SseEventSource after = Clients.sse(events + "?last_event_id=0", rest)) {
            rest.await(e -> e.endsAnswer(answerId), 60_000);
        }
    }

    /** Raw SSE subscriptions whose response began (status 200). */
    private static List<Socket> openSse(String eventsUrl, int count) throws IOException {
        URI uri = URI.create(Clients.withToken(eventsUrl));
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + uri.getRawPath() + "?" + uri.getRawQuery()
                    + " HTTP/1.0\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String head = EventStreamLines.readHead(socket.getInputStream());
            assertTrue(head.matches("HTTP/1\\.[01] 200 [\\s\\S]*"), "subscriber " + (i + 1) + " of " + count
                    + " is accepted, not " + head);
            sockets.add(socket);
        }
        return sockets;
    }

    private static void closeAll(List<Socket> sockets) throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    /** Polls the server's SSE subscriber count until it is {@code count}; returns how long that took. */
    private long awaitSseSubscribers(int count, long timeoutMillis) {
        long start = System.nanoTime();
        await(count + " SSE subscribers").atMost(Duration.ofMillis(timeoutMillis)).pollInterval(Duration.ofMillis(20))
                .until(() -> Clients.get(api() + "/health/subscribers").body().path("sse").asLong() == count);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Test
    void anAnswerInFlightIsResumedFromItsFirstEventWithoutTruncation() throws Exception {
        String sessionId = newSession();
        String events = api() + "/sessions/" + sessionId + "/events";
        Recorder first = new Recorder("first answer");
        try (SseEventSource watch = Clients.sse(events + "?last_event_id=0", first)) {
            String earlier = ask(sessionId, "flood:" + (REPLAY_EVENTS + 200) + ":5");
            first.await(e -> e.endsAnswer(earlier), 60_000);
        }
        String inFlight = ask(sessionId, "flood:400:5:5");
        JsonNode streaming = Clients.get(api() + "/sessions/" + sessionId).body().path("streaming");
        assertEquals(inFlight, streaming.path("message_id").asText());
        long firstEventId = streaming.path("first_event_id").asLong();

        Recorder fromZero = new Recorder("from 0");
        Recorder fromFirst = new Recorder("from the answer's first event");
        try (SseEventSource zero = Clients.sse(events + "?last_event_id=0", fromZero);
             SseEventSource resumed = Clients.sse(events + "?last_event_id=" + (firstEventId - 1), fromFirst)) {
            fromFirst.await(e -> e.endsAnswer(inFlight), 60_000);
            fromZero.await(e -> e.endsAnswer(inFlight), 60_000);
        }
        assertEquals("replay_truncated", fromZero.events().get(0).name(), "id 0 is older than what is retained");
        Received firstResumed = fromFirst.events().get(0);
        assertEquals("message_created", firstResumed.name(), "the answer's exchange is replayed from its start");
        assertEquals(firstEventId, firstResumed.id());
        assertTrue(fromFirst.events().stream().noneMatch(e -> e.name().equals("replay_truncated")));
    }

    @Test
    void aViewNeverClaimsAnIdPastAnEventItDoesNotShow() throws Exception {
        String sessionId = newSession();
        Recorder watcher = new Recorder("watcher");
        int checked = 0;
        try (SseEventSource watch = Clients.sse(api() + "/sessions/" + sessionId + "/events?last_event_id=0", watcher)) {
            for (int round = 0; round < 40; round++) {
                String answerId = ask(sessionId, "flood:1:5");
                List<JsonNode> views = new ArrayList<>();
                JsonNode view;
                do {
                    view = Clients.get(api() + "/sessions/" + sessionId).body();
                    views.add(view);
                } while (view.path("streaming").isObject());
                long completeId = watcher.await(e -> e.endsAnswer(answerId), 30_000).id();
                for (JsonNode seen : views) {
                    JsonNode answer = seen.path("messages").get(seen.path("messages").size() - 1);
                    if (answer.path("id").asText().equals(answerId) && !"complete".equals(answer.path("status").asText())) {
                        checked++;
                        assertTrue(seen.path("last_event_id").asLong() < completeId, "a view that shows the answer"
                                + " unfinished gives a last id before its completion (" + completeId + "): " + seen);
                    }
                }
            }
        }
        System.out.printf("Read order: %d views of an unfinished answer checked%n", checked);
        assertTrue(checked > 0, "some views caught an answer unfinished");
    }

    @Test
    void aLongValidationErrorIsStoredShortAndTheAnswerCompletes() throws Exception {
        String sessionId = newSession();
        Recorder watcher = new Recorder("watcher");
        try (SseEventSource watch = Clients.sse(api() + "/sessions/" + sessionId + "/events?last_event_id=0", watcher)) {
            String answerId = ask(sessionId, "long-names");
            Received end = watcher.await(e -> e.endsAnswer(answerId), 30_000);
            assertEquals("streaming_complete", end.name(), "the answer completes: " + end.data());
            Received change = watcher.await(e -> e.name().equals("streaming_changes"), 1_000);
            assertEquals("invalid", change.data().path("status").asText());
            String error = change.data().path("error").asText();
            assertTrue(error.contains("no job named") && error.length() < 2000, "a bounded reason: " + error);
        }
        JsonNode stored = Clients.get(api() + "/sessions/" + sessionId).body();
        assertEquals("invalid", stored.path("applied_changes").get(0).path("status").asText());
    }
}
