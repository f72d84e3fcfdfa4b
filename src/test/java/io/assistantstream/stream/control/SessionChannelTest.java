package io.assistantstream.stream.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.assistantstream.stream.entity.ClientEvent;
import io.assistantstream.stream.entity.SequencedEvent;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SessionChannelTest {

    /** Reservations as the database keeps them: a counter per session that survives "restarts". */
    static final class Reservations implements EventIdReservations {
        final AtomicLong reserved = new AtomicLong();

        @Override
        public long reserve(String sessionId, int size) {
            return reserved.getAndAdd(size);
        }
    }

    static class Recording extends ReadingSubscriber {
    }

    static ClientEvent chunk(String text) {
        return new ClientEvent.StreamingChunk("s", "m", text);
    }

    /** A channel retaining {@code capacity} events that has already published {@code published}. */
    static SessionChannel channelWith(int capacity, int published) {
        SessionChannel channel = new SessionChannel("s", capacity, new Reservations());
        for (int i = 0; i < published; i++) {
            channel.publish(chunk("c" + i));
        }
        return channel;
    }

    @Test
    void idsIncreaseAndEventsAreSerialisedInSnakeCase() {
        SessionChannel channel = new SessionChannel("s", 10, new Reservations());
        SequencedEvent first = channel.publish(chunk("a"));
        SequencedEvent second = channel.publish(chunk("b"));
        assertEquals(1, first.id());
        assertEquals(2, second.id());
        assertEquals("streaming_chunk", first.name());
        assertEquals("{\"session_id\":\"s\",\"message_id\":\"m\",\"content\":\"a\"}", first.dataJson());
        assertEquals("{\"event\":\"streaming_chunk\",\"id\":1,\"data\":" + first.dataJson() + "}",
                first.webSocketFrame());
    }

    @Test
    void attachingWithALastIdReplaysWhatFollowsThenGoesLive() {
        SessionChannel channel = channelWith(10, 5);
        Recording late = new Recording();
        channel.attach(late, OptionalLong.of(3));
        channel.publish(chunk("live"));
        assertEquals(List.of(4L, 5L, 6L), late.ids());

        Recording fresh = new Recording();
        channel.attach(fresh, OptionalLong.empty());
        channel.publish(chunk("next"));
        assertEquals(List.of(7L), fresh.ids(), "without a last id only live events arrive");
    }

    @Test
    void aSubscriberThatLeavesWhenWokenLeavesTheOthersTheirTurn() {
        SessionChannel channel = channelWith(10, 0);
        Recording leaving = new Recording() {
            @Override
            public synchronized void wake() {
                super.wake();
                if (!events.isEmpty()) {
                    channel.detach(this);
                }
            }
        };
        Recording staying = new Recording();
        channel.attach(leaving, OptionalLong.empty());
        channel.attach(staying, OptionalLong.empty());
        channel.publish(chunk("a"));
        channel.publish(chunk("b"));
        assertEquals(List.of(1L), leaving.ids());
        assertEquals(List.of(1L, 2L), staying.ids());
    }

    @Test
    void anIdOlderThanTheBufferIsToldBeforeTheReplay() {
        SessionChannel channel = channelWith(3, 6);
        Recording behind = new Recording();
        channel.attach(behind, OptionalLong.of(1));
        assertEquals("replay_truncated", behind.events.get(0).name());
        assertTrue(behind.events.get(0).isNotice());
        assertTrue(behind.events.get(0).dataJson().contains("\"oldest_retained\":4"));
        assertEquals(List.of(0L, 4L, 5L, 6L), behind.ids());
    }

    @Test
    void idsKeepIncreasingAcrossARestart() {
        Reservations database = new Reservations();
        SessionChannel before = new SessionChannel("s", 10, database);
        long lastBefore = before.publish(chunk("a")).id();
        SessionChannel afterRestart = new SessionChannel("s", 10, database);
        long firstAfter = afterRestart.publish(chunk("b")).id();
        assertTrue(firstAfter > lastBefore, firstAfter + " > " + lastBefore);

        Recording fromEarlierRun = new Recording();
        afterRestart.attach(fromEarlierRun, OptionalLong.of(lastBefore));
        assertEquals("replay_truncated", fromEarlierRun.events.get(0).name(),
                "an id the current run never issued is not silently trusted");
    }

    @Test
    void aNewBlockIsReservedWhenTheOldOneRunsOut() {
        Reservations database = new Reservations();
        SessionChannel channel = new SessionChannel("s", 2, database);
        long last = 0;
        for (int i = 0; i < EventIdReservations.BLOCK + 5; i++) {
            long id = channel.publish(chunk("x")).id();
            assertEquals(last + 1, id);
            last = id;
        }
        assertEquals(2L * EventIdReservations.BLOCK, database.reserved.get());
    }
}
