package io.assistantstream.stream.control;

import io.assistantstream.platform.Json;
import io.assistantstream.stream.entity.ClientEvent;
import io.assistantstream.stream.entity.SequencedEvent;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * One session's event sequence: numbers every event, keeps the most recent ones in its window, and wakes every
 * subscriber, each of which reads onward from its own position. Replay and live delivery are one path: a
 * subscriber that attaches with a last id simply starts reading from it, so there is no seam where an event could
 * be missed or repeated. A channel nobody watches
 * can be retired to free its events; a retired channel takes no more events or subscribers, and its session gets
 * a new channel (with ids from a new reserved block) on its next event.
 */
final class SessionChannel {

    private final String sessionId;
    private final EventIdReservations reservations;
    private final EventWindow window;
    /** Woken from a snapshot: a subscriber that closes (and leaves) while woken never disturbs the others' turn. */
    private final Set<Subscriber> subscribers = new CopyOnWriteArraySet<>();
    private long lastId;
    private long reservedUpTo;
    private long lastActivityNanos = System.nanoTime();
    private volatile boolean retired;

    SessionChannel(String sessionId, int retainedCapacity, EventIdReservations reservations) {
        this.sessionId = sessionId;
        this.reservations = reservations;
        this.lastId = reservations.reserve(sessionId, EventIdReservations.BLOCK);
        this.reservedUpTo = lastId + EventIdReservations.BLOCK;
        this.window = new EventWindow(retainedCapacity, lastId);
    }

    /** Numbers the event, retains it and wakes every subscriber; null when the channel was retired. */
    synchronized SequencedEvent publish(ClientEvent event) {
        if (retired) {
            return null;
        }
        lastActivityNanos = System.nanoTime();
        if (lastId == reservedUpTo) {
            lastId = reservations.reserve(sessionId, EventIdReservations.BLOCK);
            reservedUpTo = lastId + EventIdReservations.BLOCK;
        }
        SequencedEvent sequenced = new SequencedEvent(++lastId, event.name(), Json.write(event));
        window.append(sequenced);
        for (Subscriber subscriber : subscribers) {
            subscriber.wake();
        }
        return sequenced;
    }

    /**
     * Attaches a subscriber (again, when it is attached already) at the position {@link ReadFrom#resolve} gives
     * for its last id. False when the channel was retired.
     */
    synchronized boolean attach(Subscriber subscriber, OptionalLong lastSeenId) {
        if (retired) {
            return false;
        }
        lastActivityNanos = System.nanoTime();
        subscribers.add(subscriber);
        subscriber.attached(ReadFrom.resolve(sessionId, window, lastSeenId, lastId));
        subscriber.wake();
        return true;
    }

    synchronized void detach(Subscriber subscriber) {
        if (subscribers.remove(subscriber)) {
            lastActivityNanos = System.nanoTime();
        }
    }

    /** Retires the channel if nobody watches it and nothing happened on it since {@code idleSinceNanos}. */
    synchronized boolean retireIfIdleSince(long idleSinceNanos) {
        if (subscribers.isEmpty() && lastActivityNanos - idleSinceNanos <= 0) {
            retired = true;
        }
        return retired;
    }

    String sessionId() {
        return sessionId;
    }

    boolean isRetired() {
        return retired;
    }

    synchronized long lastActivityNanos() {
        return lastActivityNanos;
    }

    int retainedCount() {
        return retired ? 0 : window.size();
    }

    synchronized long lastId() {
        return lastId;
    }
}
