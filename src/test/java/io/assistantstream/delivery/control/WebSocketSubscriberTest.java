package io.assistantstream.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.assistantstream.stream.entity.SequencedEvent;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The WebSocket writer's window: bytes in flight bounded, no thread waiting, the farewell after the frames. */
class WebSocketSubscriberTest {

    /** A socket whose client takes a frame only when the test says so. */
    static final class SlowSocket {
        final List<String> frames = new ArrayList<>();
        final List<SendHandler> unfinished = new ArrayList<>();
        final List<CloseReason> closes = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Session session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Session.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getAsyncRemote" -> remote();
                    case "isOpen" -> closes.isEmpty();
                    case "close" -> closes.add((CloseReason) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });

        private RemoteEndpoint.Async remote() {
            return (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                        if (method.getName().equals("sendText") && args.length == 2) {
                            frames.add((String) args[0]);
                            unfinished.add((SendHandler) args[1]);
                            return null;
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }

        /** The client takes the oldest frame still under way. */
        void takeOne() {
            unfinished.remove(0).onResult(new SendResult());
        }
    }

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final LogSubscriberTest.ManualExecutor sender = new LogSubscriberTest.ManualExecutor();
    private final SlowSocket socket = new SlowSocket();
    private final SessionLog log = new SessionLog(5000);

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private WebSocketSubscriber subscriber(long bytesInFlight) {
        return log.attach(new WebSocketSubscriber("s", sender, socket.session, bytesInFlight, timer));
    }

    private static SequencedEvent event(long id) {
        return new SequencedEvent(id, "streaming_chunk", "{\"content\":\"" + "x".repeat(100) + "\"}");
    }

    @Test
    void framesBeyondTheWindowWaitForTheClientAndNoThreadWaitsWithThem() {
        int frame = event(1).webSocketFrame().length();
        WebSocketSubscriber subscriber = subscriber(2L * frame);
        for (long id = 1; id <= 10; id++) {
            log.publish(event(id));
        }
        sender.runAll();
        assertEquals(2, socket.frames.size(), "two frames fill a window of two frames' bytes");
        assertTrue(sender.tasks.isEmpty(), "the sender returned: nothing waits for the client");

        socket.takeOne();
        sender.runAll();
        assertEquals(3, socket.frames.size(), "a frame taken makes room for the next");
        while (!socket.unfinished.isEmpty()) {
            socket.takeOne();
            sender.runAll();
        }
        assertEquals(10, socket.frames.size());
        assertTrue(socket.frames.get(9).contains("\"id\":10"), socket.frames.get(9));
        assertFalse(subscriber.isClosed());
    }

    @Test
    void theOldestUnfinishedFrameIsWhatTheStallRuleTimes() {
        WebSocketSubscriber subscriber = subscriber(1);
        log.publish(event(1));
        sender.runAll();
        long now = System.nanoTime();
        assertTrue(subscriber.writingLongerThan(-1, now), "a frame is under way");
        subscriber.cutOffIfStalled(-1, now);
        assertTrue(subscriber.isClosed(), "a frame the client never takes cuts it off");
        sender.runAll();
        assertEquals(List.of(), socket.closes, "the farewell waits for the frame under way");

        socket.takeOne();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> socket.frames.size() == 2);
        assertEquals("{\"event\":\"error\",\"data\":{\"code\":\"slow_subscriber\",\"message\":"
                + "\"Too slow\"}}", socket.frames.get(1).replaceAll("\"message\":\"[^\"]*\"", "\"message\":\"Too slow\""),
                "the reason goes out as a last text frame, as SSE's error event");
        assertEquals(List.of(), socket.closes, "the close frame waits for that frame to leave");
        socket.takeOne();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> !socket.closes.isEmpty());
        assertEquals(1, socket.closes.size(), "closed once, off the container's completion thread");
        assertEquals(WebSocketSubscriber.CLOSE_SLOW, socket.closes.get(0).getCloseCode().getCode());
        assertEquals("slow_subscriber", socket.closes.get(0).getReasonPhrase());
        assertFalse(subscriber.writingLongerThan(-1, System.nanoTime()), "nothing is under way any more");
    }

    @Test
    void aFrameTheContainerCouldNotSendClosesTheSubscriber() {
        WebSocketSubscriber subscriber = subscriber(65_536);
        log.publish(event(1));
        log.publish(event(2));
        sender.runAll();
        socket.unfinished.remove(0).onResult(new SendResult(new java.io.IOException("Broken pipe")));
        sender.runAll();
        assertTrue(subscriber.isClosed());
        assertEquals(CloseReason.CloseCodes.NORMAL_CLOSURE, socket.closes.get(0).getCloseCode(),
                "a client that is gone gets no reason");
    }
}
