package io.assistantstream.chat.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.assistantstream.platform.Lifecycle;
import io.assistantstream.platform.Settings;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A stopping server on one server: it drains until its answers end, or until the drain time is over. */
class DrainTest {

    private final Drain drain = new Drain();

    DrainTest() {
        Settings.Read settings = Settings.of("server.drain-seconds=2");
        drain.lifecycle = new Lifecycle();
        drain.liveAnswers = new LiveAnswers();
        drain.server = settings.server();
        drain.redis = settings.redis();
    }

    @Test
    void aStopWaitsForTheAnswersHereToEndAndNoLonger() throws Exception {
        drain.liveAnswers.add(new LiveAnswer("s", "m"));
        CompletableFuture.runAsync(() -> drain.liveAnswers.remove("m"),
                CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));
        long started = System.nanoTime();

        drain.onStop(null);

        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(drain.lifecycle.draining(), "nothing new is taken from the start");
        assertTrue(tookMillis >= 250 && tookMillis < 1500, "returned when the answer ended: " + tookMillis + " ms");
    }

    @Test
    void anAnswerLongerThanTheDrainTimeIsLeftForTheStopToEnd() throws Exception {
        drain.liveAnswers.add(new LiveAnswer("s", "endless"));
        long started = System.nanoTime();

        drain.onStop(null);

        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(tookMillis >= 1900 && tookMillis < 3500, "waited the drain time: " + tookMillis + " ms");
        assertEquals(1, drain.liveAnswers.all().size(), "still live: the shutdown stops it as server_stopping");
    }
}
