package io.assistantstream.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.assistantstream.session.entity.SequencedEvent;
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

        Recording(int capacity, ManualExecutor sender) {
            super("s", capacity, sender);
        }

        @Override
        protected String transport() {
            return "test";
        }

        @Override
        protected void write(SequencedEvent event) {
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
}
