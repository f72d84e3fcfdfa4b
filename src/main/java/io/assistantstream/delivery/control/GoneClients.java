package io.assistantstream.delivery.control;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Before a newcomer is refused at a bound: finds the subscribers counted against it whose clients are gone (an
 * SSE client that closed is noticed only by writing to it) or no longer read, and frees their slots.
 */
final class GoneClients {

    private static final Logger LOG = Logger.getLogger(GoneClients.class.getName());

    /** Before refusing a subscriber at a bound: the pause between two probes, a round trip for the reset. */
    private static final long PROBE_ROUND_TRIP_MILLIS = 100;
    private static final long STALLED_WRITE_MILLIS = 1000;

    private GoneClients() {
    }

    /** Probes the subscribers, then drops those that stalled; they leave the registry as they close. */
    static void makeRoomAmong(Set<LogSubscriber> subscribers) {
        probe(subscribers);
        dropStalled(subscribers);
    }

    /**
     * Writes twice, a round trip apart, to each subscriber that only notices a gone client by writing: the first
     * write to a closed connection draws a reset, the second fails and closes the subscriber.
     */
    private static void probe(Set<LogSubscriber> subscribers) {
        for (int round = 0; round < 2; round++) {
            subscribers.forEach(LogSubscriber::probe);
            try {
                Thread.sleep(PROBE_ROUND_TRIP_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * A subscriber whose write has not completed for {@value #STALLED_WRITE_MILLIS} ms gives its slot to a new one:
     * its client stopped reading, or its connection broke in a way the container has not reported yet (a write
     * to a reset connection can wait for the container's own timeout). Its sender says goodbye when the write ends.
     */
    private static void dropStalled(Set<LogSubscriber> subscribers) {
        long now = System.nanoTime();
        long stalledNanos = TimeUnit.MILLISECONDS.toNanos(STALLED_WRITE_MILLIS);
        subscribers.stream().filter(subscriber -> subscriber.writingLongerThan(stalledNanos, now)).toList()
                .forEach(subscriber -> {
                    LOG.info(() -> "A " + subscriber.transport().label() + " subscriber of session " + subscriber.sessionId()
                            + " has not taken a write for " + STALLED_WRITE_MILLIS + " ms; it gives its slot to a new one");
                    subscriber.close(null, null);
                });
    }
}
