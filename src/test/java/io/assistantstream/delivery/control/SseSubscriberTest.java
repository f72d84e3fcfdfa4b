package io.assistantstream.delivery.control;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.assistantstream.stream.entity.SequencedEvent;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The SSE writer on non-blocking output: it writes only while the container is ready, and never waits. */
class SseSubscriberTest {

    /** A connection whose container takes bytes only while the test says it is ready. */
    static final class SlowConnection extends ServletOutputStream {
        final ByteArrayOutputStream taken = new ByteArrayOutputStream();
        boolean ready = true;
        int writesWhileNotReady;
        int flushes;
        boolean completed;
        WriteListener listener;

        final HttpServletResponse response = proxy(HttpServletResponse.class, (name, args) -> switch (name) {
            case "getOutputStream" -> this;
            default -> null; // headers, status, flushBuffer
        });
        final AsyncContext async = proxy(AsyncContext.class, (name, args) -> {
            if (name.equals("complete")) {
                completed = true;
            }
            return null;
        });
        final HttpServletRequest request = proxy(HttpServletRequest.class,
                (name, args) -> name.equals("startAsync") ? async : null);

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void setWriteListener(WriteListener writeListener) {
            listener = writeListener;
        }

        @Override
        public void write(int b) {
            if (!ready) {
                writesWhileNotReady++;
            }
            taken.write(b);
        }

        @Override
        public void flush() {
            flushes++;
        }

        /** The container can take bytes again and says so. */
        void readyAgain() throws Exception {
            ready = true;
            listener.onWritePossible();
        }

        String text() {
            return taken.toString(StandardCharsets.UTF_8);
        }

        private interface Answer {
            Object answer(String method, Object[] args);
        }

        @SuppressWarnings("unchecked")
        private static <T> T proxy(Class<T> type, Answer answer) {
            return (T) Proxy.newProxyInstance(SseSubscriberTest.class.getClassLoader(), new Class<?>[] {type},
                    (proxy, method, args) -> {
                        Object result = answer.answer(method.getName(), args);
                        return result == null && method.getReturnType() == boolean.class ? false : result;
                    });
        }
    }

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final LogSubscriberTest.ManualExecutor sender = new LogSubscriberTest.ManualExecutor();
    private final SlowConnection connection = new SlowConnection();
    private final SessionLog log = new SessionLog(5000);
    private final SseSubscriber subscriber = log.attach(new SseSubscriber("s", sender, connection.request,
            connection.response, timer));

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private static SequencedEvent event(long id) {
        return new SequencedEvent(id, "streaming_chunk", "{\"content\":\"x\"}");
    }

    @Test
    void eventsAttachedBeforeTheStreamStartsGoOutOnceTheContainerIsReadyInOneFlush() throws Exception {
        log.publish(event(1));
        log.publish(event(2));
        sender.runAll();
        assertEquals("", connection.text(), "nothing goes out before the stream starts");

        subscriber.start();
        connection.listener.onWritePossible();
        sender.runAll();
        assertEquals("id: 1\nevent: streaming_chunk\ndata: {\"content\":\"x\"}\n\n"
                + "id: 2\nevent: streaming_chunk\ndata: {\"content\":\"x\"}\n\n", connection.text());
        assertEquals(1, connection.flushes, "one flush for what the sender found queued");
    }

    @Test
    void aContainerThatIsNotReadyGetsNothingAndNoThreadWaitsForIt() throws Exception {
        subscriber.start();
        connection.listener.onWritePossible();
        sender.runAll();
        int greeting = connection.text().length();
        connection.ready = false;
        for (long id = 1; id <= 5; id++) {
            log.publish(event(id));
        }
        sender.runAll();
        assertEquals(greeting, connection.text().length(), "nothing handed over while not ready");
        assertTrue(sender.tasks.isEmpty(), "the sender returned");
        assertTrue(subscriber.writingLongerThan(-1, System.nanoTime()), "events wait for the client: the stall clock runs");

        connection.readyAgain();
        sender.runAll();
        assertTrue(connection.text().endsWith("id: 5\nevent: streaming_chunk\ndata: {\"content\":\"x\"}\n\n"));
        assertEquals(0, connection.writesWhileNotReady);
        assertFalse(subscriber.writingLongerThan(-1, System.nanoTime()), "the client took them");
    }

    @Test
    void aStalledClientIsCutOffAndGetsItsReasonOnlyWhenTheContainerCanTakeIt() throws Exception {
        subscriber.start();
        connection.listener.onWritePossible();
        sender.runAll();
        connection.ready = false;
        log.publish(event(1));
        sender.runAll();
        subscriber.cutOffIfStalled(-1, System.nanoTime());
        sender.runAll();
        assertTrue(subscriber.isClosed());
        assertFalse(connection.completed, "the farewell waits for the container");

        connection.readyAgain();
        await().atMost(Duration.ofSeconds(5)).until(() -> connection.completed);
        assertTrue(connection.text().endsWith("event: error\ndata: {\"code\":\"slow_subscriber\",\"message\":\"Accepted "
                + "no bytes for 0 s; reconnect with your last event id\"}\n\n"), connection.text());
        assertEquals(0, connection.writesWhileNotReady);
    }
}
