package io.assistantstream.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.assistantstream.stream.entity.SequencedEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

class QueuedSubscriberTest {

    /** An executor the test runs by hand, so a "client" is as slow as the test wants. */
    static final class ManualExecutor implements java.util.concurrent.Executor {
        final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
            }
        }
    }

    static final class Recording extends QueuedSubscriber {
        final List<String> written = new ArrayList<>();
        boolean clientGone;

        Recording(int capacity, ManualExecutor sender) {
            super("s", io.assistantstream.delivery.entity.Transport.SSE, capacity, sender);
        }


        @Override
        protected void write(SequencedEvent event) throws java.io.IOException {
            failIfGone();
            written.add(event.name() + "#" + event.id());
        }

        @Override
        protected void writeHeartbeat() throws java.io.IOException {
            failIfGone();
            written.add("heartbeat");
        }

        private void failIfGone() throws java.io.IOException {
            if (clientGone) {
                throw new java.io.IOException("Broken pipe");
            }
        }

        @Override
        protected void disconnect(String reasonCode, String reason) {
            written.add("closed:" + reasonCode);
        }
    }

    static SequencedEvent event(long id) {
        return new SequencedEvent(id, "streaming_chunk", "{}");
    }

    @Test
    void aReplayLongerThanTheBoundIsSentWhole() {
        ManualExecutor sender = new ManualExecutor();
        Recording subscriber = new Recording(3, sender);
        for (long id = 1; id <= 10; id++) {
            subscriber.replay(event(id));
        }
        subscriber.deliver(event(11));
        sender.runAll();
        assertFalse(subscriber.isClosed());
        assertEquals(11, subscriber.written.size());
        assertEquals("streaming_chunk#11", subscriber.written.get(10));
    }

    @Test
    void liveEventsBeyondTheBoundCutTheSubscriberWithAReason() {
        ManualExecutor sender = new ManualExecutor();
        Recording subscriber = new Recording(3, sender);
        for (long id = 1; id <= 4; id++) {
            subscriber.deliver(event(id));
        }
        assertTrue(subscriber.isClosed());
        subscriber.deliver(event(5));
        sender.runAll();
        assertEquals(List.of("closed:slow_subscriber"), subscriber.written,
                "nothing queued is sent after the cut, only the farewell");
    }

    @Test
    void aClientThatKeepsUpIsNeverCut() {
        ManualExecutor sender = new ManualExecutor();
        Recording subscriber = new Recording(3, sender);
        for (long id = 1; id <= 100; id++) {
            subscriber.deliver(event(id));
            if (id % 3 == 0) {
                sender.runAll();
            }
        }
        sender.runAll();
        assertFalse(subscriber.isClosed());
        assertEquals(100, subscriber.written.size());
    }

    @Test
    void aBurstWithinTheRetainedHistoryIsSentWholeAtTheClientsPace() {
        ManualExecutor sender = new ManualExecutor();
        Recording subscriber = new Recording(5000, sender);
        for (long id = 1; id <= 2500; id++) {
            subscriber.deliver(event(id));
        }
        assertFalse(subscriber.isClosed(), "2,500 events at once are no reason to cut a client off");
        sender.runAll();
        assertEquals(2500, subscriber.written.size());
        assertEquals("streaming_chunk#2500", subscriber.written.get(2499));
    }

    @Test
    void aWriteThatTakesNoBytesForTheStallTimeCutsTheClientOffAndItHearsWhyWhenTheWriteEnds() throws Exception {
        java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors.newSingleThreadExecutor();
        List<String> written = java.util.Collections.synchronizedList(new ArrayList<>());
        QueuedSubscriber subscriber = new QueuedSubscriber("s", io.assistantstream.delivery.entity.Transport.SSE,
                5000, thread) {
            @Override
            protected void write(SequencedEvent event) throws InterruptedException {
                reading.await();
                written.add(event.name() + "#" + event.id());
            }

            @Override
            protected void writeHeartbeat() {
                written.add("heartbeat");
            }

            @Override
            protected void disconnect(String reasonCode, String reason) {
                written.add("closed:" + reasonCode);
            }
        };
        try {
            subscriber.deliver(event(1));
            subscriber.deliver(event(2));
            long stall = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(50);
            org.awaitility.Awaitility.await().until(() -> subscriber.writingLongerThan(stall, System.nanoTime()));
            subscriber.cutOffIfStalled(Long.MAX_VALUE, System.nanoTime());
            assertFalse(subscriber.isClosed(), "a write under way for less than the stall time is waited for");
            subscriber.cutOffIfStalled(stall, System.nanoTime());
            assertTrue(subscriber.isClosed());
            reading.countDown();
            org.awaitility.Awaitility.await().until(() -> written.contains("closed:slow_subscriber"));
            assertEquals(List.of("streaming_chunk#1", "closed:slow_subscriber"), written,
                    "the stalled write ends, nothing after it is sent, and the farewell says why");
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void eventsThatWaitWithoutAWriteForTheStallTimeCutTheClientOffEvenBeforeAWriteBegins() {
        ManualExecutor sender = new ManualExecutor();
        Recording idle = new Recording(5000, sender);
        Recording starved = new Recording(5000, sender);
        starved.deliver(event(1));
        long second = 1_000_000_000L;
        long later = System.nanoTime() + 2 * second;
        idle.cutOffIfStalled(second, later);
        starved.cutOffIfStalled(second, later);
        assertFalse(idle.isClosed(), "nothing waits for an idle client: it is never stalled");
        Recording held = new Recording(5000, sender);
        held.hold();
        held.deliver(event(1));
        held.cutOffIfStalled(second, later);
        assertFalse(held.isClosed(), "a held subscriber is not sending on purpose");
        assertTrue(starved.isClosed(), "an event waited 2 s and none was taken (no sender ran)");
        sender.runAll();
        assertEquals(List.of("closed:slow_subscriber"), starved.written);
    }

    @Test
    void aHeldSubscriberQueuesAndSendsNothingUntilReleased() {
        ManualExecutor sender = new ManualExecutor();
        Recording subscriber = new Recording(10, sender);
        subscriber.hold();
        subscriber.deliver(event(1));
        subscriber.deliver(event(2));
        sender.runAll();
        assertEquals(List.of(), subscriber.written);
        subscriber.release();
        sender.runAll();
        assertEquals(List.of("streaming_chunk#1", "streaming_chunk#2"), subscriber.written);
    }

    @Test
    void aWriteNothingFollowedIsProbedAndAGoneClientIsClosed() {
        ManualExecutor sender = new ManualExecutor();
        Recording subscriber = new Recording(10, sender);
        boolean[] closed = {false};
        subscriber.onClose(() -> closed[0] = true);
        subscriber.deliver(event(1));
        sender.runAll();
        long now = System.nanoTime();
        subscriber.keepAlive(now, Long.MAX_VALUE, 0);
        sender.runAll();
        assertEquals(List.of("streaming_chunk#1", "heartbeat"), subscriber.written, "a probe follows the write");
        subscriber.keepAlive(System.nanoTime(), Long.MAX_VALUE, 0);
        sender.runAll();
        assertEquals(2, subscriber.written.size(), "a probe is not probed again");

        subscriber.clientGone = true;
        subscriber.keepAlive(System.nanoTime(), 0, Long.MAX_VALUE);
        sender.runAll();
        assertTrue(subscriber.isClosed() && closed[0], "the failed heartbeat closed the subscriber and freed its slot");
    }
}
