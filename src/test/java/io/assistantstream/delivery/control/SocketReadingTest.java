package io.assistantstream.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.assistantstream.stream.entity.SequencedEvent;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SocketReadingTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final LogSubscriberTest.ManualExecutor sender = new LogSubscriberTest.ManualExecutor();
    private final SessionLog log = new SessionLog(100);
    private final LogSubscriberTest.Recording socket = new LogSubscriberTest.Recording(sender);

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    private SocketReading reading() {
        return new SocketReading(socket, log::attach);
    }

    private static SequencedEvent event(long id) {
        return LogSubscriberTest.event(id);
    }

    @Test
    void aResumeFrameWhileHeldPutsWhatTheClientMissedFirst() {
        log.publish(1, 5, SocketReadingTest::event);
        SocketReading reading = reading();
        reading.hold(OptionalLong.of(5), scheduler, Duration.ofMinutes(1));
        log.publish(6, 7, SocketReadingTest::event);
        sender.runAll();
        assertEquals(List.of(), socket.written, "nothing is read while held");
        reading.resume(OptionalLong.of(2));
        sender.runAll();
        assertEquals(List.of("streaming_chunk#3", "streaming_chunk#4", "streaming_chunk#5", "streaming_chunk#6",
                "streaming_chunk#7"), socket.written);
    }

    @Test
    void anyOtherFrameStartsFromTheHandshakeAndSoDoesTheGrace() throws Exception {
        log.publish(1, 3, SocketReadingTest::event);
        SocketReading framed = reading();
        framed.hold(OptionalLong.of(3), scheduler, Duration.ofMinutes(1));
        log.publish(event(4));
        framed.resume(OptionalLong.empty());
        sender.runAll();
        assertEquals(List.of("streaming_chunk#4"), socket.written, "what came after the handshake, nothing before");

        LogSubscriberTest.Recording late = new LogSubscriberTest.Recording(sender);
        new SocketReading(late, log::attach).hold(OptionalLong.of(4), scheduler, Duration.ofMillis(50));
        log.publish(event(5));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
            sender.runAll();
            return late.written.equals(List.of("streaming_chunk#5"));
        });
    }

    @Test
    void aResumeWhileReadingMovesTheSocketBack() {
        SocketReading reading = reading();
        reading.startAfter(OptionalLong.of(0));
        log.publish(1, 3, SocketReadingTest::event);
        sender.runAll();
        reading.resume(OptionalLong.of(1));
        sender.runAll();
        assertEquals(List.of("streaming_chunk#1", "streaming_chunk#2", "streaming_chunk#3", "streaming_chunk#2",
                "streaming_chunk#3"), socket.written, "after the id it names, once more, and nothing lost");
    }
}
