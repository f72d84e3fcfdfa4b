package io.assistantstream.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.assistantstream.stream.entity.SequencedEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Queue;
import org.junit.jupiter.api.Test;

class LogSubscriberTest {

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

    static class Recording extends LogSubscriber {
        final List<String> written = new ArrayList<>();
        boolean clientGone;

        Recording(ManualExecutor sender) {
            super("s", io.assistantstream.delivery.entity.Transport.SSE, sender);
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
    void aResumeReadsEverythingAfterItsIdThenWhatIsPublished() {
        ManualExecutor sender = new ManualExecutor();
        SessionLog log = new SessionLog(100);
        log.publish(1, 10, LogSubscriberTest::event);
        Recording subscriber = log.attach(new Recording(sender), OptionalLong.of(4));
        log.publish(event(11));
        sender.runAll();
        assertFalse(subscriber.isClosed());
        assertEquals(7, subscriber.written.size());
        assertEquals("streaming_chunk#5", subscriber.written.get(0));
        assertEquals("streaming_chunk#11", subscriber.written.get(6));
    }

    @Test
    void aPositionThatFallsBelowTheWindowCutsTheSubscriberWithAReason() {
        ManualExecutor sender = new ManualExecutor();
        SessionLog log = new SessionLog(3);
        Recording subscriber = log.attach(new Recording(sender));
        log.publish(1, 4, LogSubscriberTest::event);
        sender.runAll();
        assertTrue(subscriber.isClosed());
        assertEquals(List.of("closed:slow_subscriber"), subscriber.written,
                "nothing is sent once its place is lost, only the farewell");
    }

    @Test
    void aClientThatKeepsUpIsNeverCut() {
        ManualExecutor sender = new ManualExecutor();
        SessionLog log = new SessionLog(3);
        Recording subscriber = log.attach(new Recording(sender));
        for (long id = 1; id <= 100; id++) {
            log.publish(event(id));
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
        SessionLog log = new SessionLog(5000);
        Recording subscriber = log.attach(new Recording(sender));
        log.publish(1, 2500, LogSubscriberTest::event);
        assertFalse(subscriber.isClosed(), "2,500 events at once are no reason to cut a client off");
        assertEquals(1, sender.tasks.size(), "one sender task, however many events woke it");
        sender.runAll();
        assertEquals(2500, subscriber.written.size());
        assertEquals("streaming_chunk#2500", subscriber.written.get(2499));
    }

    @Test
    void aResumeWhileSendingStartsAfterItsIdBetweenTwoWritesWithItsNoticeFirst() {
        ManualExecutor sender = new ManualExecutor();
        SessionLog log = new SessionLog(5);
        Recording subscriber = log.attach(new Recording(sender));
        for (long id = 1; id <= 8; id++) {
            log.publish(event(id));
            sender.runAll();
        }
        assertEquals("streaming_chunk#8", subscriber.written.get(subscriber.written.size() - 1));
        subscriber.written.clear();
        log.attach(subscriber, OptionalLong.of(5));
        log.attach(subscriber, OptionalLong.of(1));
        sender.runAll();
        assertEquals(List.of("replay_truncated#0", "streaming_chunk#4", "streaming_chunk#5", "streaming_chunk#6",
                "streaming_chunk#7", "streaming_chunk#8"), subscriber.written,
                "the last move wins: the notice, then everything held, each once");
    }

    @Test
    void anAnswerToTheClientsOwnFrameGoesBeforeWhatItReadsNext() {
        ManualExecutor sender = new ManualExecutor();
        SessionLog log = new SessionLog(10);
        Recording subscriber = log.attach(new Recording(sender));
        log.publish(event(1));
        subscriber.tell(new SequencedEvent(0, "error", "{}"));
        sender.runAll();
        assertEquals(List.of("error#0", "streaming_chunk#1"), subscriber.written);
    }

    @Test
    void aWriteThatTakesNoBytesForTheStallTimeCutsTheClientOffAndItHearsWhyWhenTheWriteEnds() throws Exception {
        java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors.newSingleThreadExecutor();
        List<String> written = java.util.Collections.synchronizedList(new ArrayList<>());
        SessionLog log = new SessionLog(5000);
        LogSubscriber subscriber = log.attach(new LogSubscriber("s", io.assistantstream.delivery.entity.Transport.SSE,
                thread) {
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
        });
        try {
            log.publish(event(1));
            log.publish(event(2));
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
        SessionLog log = new SessionLog(5000);
        Recording starved = log.attach(new Recording(sender));
        log.publish(event(1));
        Recording idle = log.attach(new Recording(sender));
        long second = 1_000_000_000L;
        long later = System.nanoTime() + 2 * second;
        idle.cutOffIfStalled(second, later);
        starved.cutOffIfStalled(second, later);
        assertFalse(idle.isClosed(), "nothing waits for an idle client: it is never stalled");
        Recording held = new Recording(sender);
        held.hold();
        log.attach(held, OptionalLong.of(0));
        held.cutOffIfStalled(second, later);
        assertFalse(held.isClosed(), "a held subscriber is not sending on purpose");
        assertTrue(starved.isClosed(), "an event waited 2 s and none was taken (no sender ran)");
        sender.runAll();
        assertEquals(List.of("closed:slow_subscriber"), starved.written);
    }

    @Test
    void aHeldSubscriberReadsNothingUntilReleased() {
        ManualExecutor sender = new ManualExecutor();
        SessionLog log = new SessionLog(10);
        Recording subscriber = new Recording(sender);
        subscriber.hold();
        log.attach(subscriber);
        log.publish(1, 2, LogSubscriberTest::event);
        sender.runAll();
        assertEquals(List.of(), subscriber.written);
        subscriber.release();
        sender.runAll();
        assertEquals(List.of("streaming_chunk#1", "streaming_chunk#2"), subscriber.written);
    }

    @Test
    void aWriteNothingFollowedIsProbedAndAGoneClientIsClosed() {
        ManualExecutor sender = new ManualExecutor();
        SessionLog log = new SessionLog(10);
        Recording subscriber = log.attach(new Recording(sender));
        boolean[] closed = {false};
        subscriber.onClose(() -> closed[0] = true);
        log.publish(event(1));
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
