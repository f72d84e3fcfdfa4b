package io.assistantstream.stream.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.assistantstream.platform.Settings;
import io.assistantstream.stream.entity.ClientEvent;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MemoryEventLogTest {

    private static final Duration RETENTION = Duration.ofMinutes(10);

    private final MemoryEventLog channels = new MemoryEventLog(Settings.of("stream.replay-buffer-events=100",
            "stream.sender-threads=4").stream(),
            new SessionChannelTest.Reservations());

    private void publish(String sessionId, int events) {
        for (int i = 0; i < events; i++) {
            channels.publish(new ClientEvent.StreamingChunk(sessionId, "m", "c" + i));
        }
    }

    @Test
    void anUnwatchedIdleChannelIsRetiredAndResumingOnItSaysSo() {
        publish("idle", 3);
        long idsBefore = channels.lastId("idle");
        channels.retireIdle(System.nanoTime(), RETENTION, Long.MAX_VALUE);
        assertEquals(1, channels.size(), "idle for less than the retention: kept");

        channels.retireIdle(System.nanoTime() + RETENTION.toNanos() + 1, RETENTION, Long.MAX_VALUE);
        assertEquals(0, channels.size());

        SessionChannelTest.Recording resumed = new SessionChannelTest.Recording();
        channels.attach("idle", resumed, OptionalLong.of(idsBefore));
        assertEquals("replay_truncated", resumed.events.get(0).name());
        publish("idle", 1);
        assertTrue(channels.lastId("idle") > idsBefore, "ids keep increasing on the session's new channel");
        assertEquals(channels.lastId("idle"), resumed.events.get(1).id(), "the new channel delivers live events");
    }

    @Test
    void aWatchedChannelIsNeverRetired() {
        publish("watched", 3);
        SessionChannelTest.Recording watcher = new SessionChannelTest.Recording();
        channels.attach("watched", watcher, OptionalLong.empty());
        channels.retireIdle(System.nanoTime() + 2 * RETENTION.toNanos(), RETENTION, 0);
        assertEquals(1, channels.size());
        publish("watched", 1);
        assertEquals(1, watcher.events.size());

        channels.detach("watched", watcher);
        channels.retireIdle(System.nanoTime() + 2 * RETENTION.toNanos(), RETENTION, Long.MAX_VALUE);
        assertEquals(0, channels.size(), "once its last subscriber left and the retention passed");
    }

    @Test
    void overTheTotalCapTheLeastRecentlyActiveUnwatchedChannelsGoFirst() throws InterruptedException {
        publish("oldest", 40);
        Thread.sleep(2);
        publish("middle", 40);
        Thread.sleep(2);
        publish("newest", 40);
        channels.retireIdle(System.nanoTime(), RETENTION, 90);
        assertEquals(0, channels.lastId("oldest"), "retired: no channel on this server");
        assertTrue(channels.lastId("middle") > 0, "80 retained once the oldest went: under the cap, kept");
        assertTrue(channels.lastId("newest") > 0);
    }
}
