package io.assistantstream.stream.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.assistantstream.stream.entity.SequencedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class EventWindowTest {

    static SequencedEvent event(long id) {
        return new SequencedEvent(id, "streaming_chunk", "{}");
    }

    static List<Long> after(EventWindow window, long position, int max) {
        List<SequencedEvent> read = new ArrayList<>();
        assertTrue(window.readAfter(position, max, read), "readable after " + position);
        return read.stream().map(SequencedEvent::id).toList();
    }

    @Test
    void aPositionReadsWhatFollowsItInBatchesEvenAcrossAGapInTheIds() {
        EventWindow window = new EventWindow(10, 0);
        LongStream.of(1, 2, 3, 1001, 1002).mapToObj(EventWindowTest::event).forEach(window::append);
        assertEquals(List.of(1L, 2L), after(window, 0, 2));
        assertEquals(List.of(3L, 1001L, 1002L), after(window, 2, 64));
        assertEquals(List.of(1001L, 1002L), after(window, 500, 64), "a position between two ids reads the next");
        assertEquals(List.of(), after(window, 1002, 64));
        assertEquals(1002, window.lastId());
        assertEquals(2, window.countAfter(3));
    }

    @Test
    void appendingPastTheCapacityDropsTheOldestAndAPositionBelowIsBehind() {
        EventWindow window = new EventWindow(3, 0);
        LongStream.rangeClosed(1, 5).mapToObj(EventWindowTest::event).forEach(window::append);
        assertEquals(2, window.floor());
        assertEquals(3, window.oldestId());
        assertEquals(List.of(3L, 4L, 5L), after(window, 2, 64), "at the floor nothing is lost");
        assertFalse(window.readAfter(1, 64, new ArrayList<>()), "below it, event 2 is gone");
    }

    @Test
    void olderEventsFillTheWindowBackAsFarAsThereIsRoom() {
        EventWindow window = new EventWindow(4, 10);
        window.append(event(11));
        window.prepend(List.of(event(7), event(8), event(9), event(10), event(11)), 6);
        assertEquals(List.of(8L, 9L, 10L, 11L), after(window, 7, 64), "the newest that fit, none twice");
        assertEquals(7, window.floor(), "complete after the newest event left out");

        EventWindow roomy = new EventWindow(10, 10);
        roomy.prepend(List.of(event(9), event(10)), 8);
        assertEquals(8, roomy.floor());
        assertEquals(List.of(9L, 10L), after(roomy, 8, 64));
        roomy.prepend(List.of(event(1)), 9);
        assertEquals(8, roomy.floor(), "a backfill that starts later than the window is ignored");
    }

    @Test
    void aLongHistoryGrowsTheRingUpToItsCapacityKeepingTheOrder() {
        EventWindow window = new EventWindow(1000, 0);
        LongStream.rangeClosed(1, 1500).mapToObj(EventWindowTest::event).forEach(window::append);
        assertEquals(1000, window.size());
        assertEquals(500, window.floor());
        assertEquals(LongStream.rangeClosed(501, 1500).boxed().toList(), after(window, 500, 5000));
        EventWindow backfilled = new EventWindow(100, 90);
        backfilled.prepend(LongStream.rangeClosed(41, 90).mapToObj(EventWindowTest::event).toList(), 40);
        backfilled.append(event(91));
        assertEquals(LongStream.rangeClosed(41, 91).boxed().toList(), after(backfilled, 40, 5000));
    }

    @Test
    void whereASubscriberStartsFollowsItsLastId() {
        EventWindow window = new EventWindow(3, 0);
        LongStream.rangeClosed(1, 5).mapToObj(EventWindowTest::event).forEach(window::append);
        ReadFrom live = ReadFrom.resolve("s", window, OptionalLong.empty(), 5);
        assertEquals(5, live.position());
        assertNull(live.notice());
        assertEquals(3, ReadFrom.resolve("s", window, OptionalLong.of(3), 5).position());
        assertEquals(2, ReadFrom.resolve("s", window, OptionalLong.of(EventLog.BEFORE_FIRST), 5).position());
        ReadFrom tooOld = ReadFrom.resolve("s", window, OptionalLong.of(1), 5);
        assertEquals(2, tooOld.position(), "everything held, after the notice");
        assertTrue(tooOld.notice().dataJson().contains("\"oldest_retained\":3"), tooOld.notice().dataJson());
        ReadFrom unknown = ReadFrom.resolve("s", window, OptionalLong.of(9), 5);
        assertEquals(ReplayNotices.TRUNCATED, unknown.notice().name(), "an id this log never issued");
        assertNull(ReadFrom.resolve("s", window, OptionalLong.of(9), 12).notice(),
                "an id the shared log issued and this window has yet to see is waited for");
    }
}
