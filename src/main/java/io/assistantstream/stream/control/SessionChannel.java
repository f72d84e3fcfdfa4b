package io.assistantstream.stream.control;

import io.assistantstream.platform.Json;
import io.assistantstream.stream.entity.ClientEvent;
import io.assistantstream.stream.entity.SequencedEvent;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One session's event sequence: numbers every event, keeps the most recent ones for replay, and hands each to
 * every subscriber. Publishing and attaching share one lock, so a subscriber that attaches with a last id gets
 * every retained event after it and then the live ones, with no gap and no duplicate. A channel nobody watches
 * can be retired to free its events; a retired channel takes no more events or subscribers, and its session gets
 * a new channel (with ids from a new reserved block) on its next event.
 */
final class SessionChannel {

    private final String sessionId;
    private final int retainedCapacity;
    private final EventIdReservations reservations;
    private final ArrayDeque<SequencedEvent> retained = new ArrayDeque<>();
    private final Set<Subscriber> subscribers = new LinkedHashSet<>();
    private long lastId;
    private long reservedUpTo;
    private long lastActivityNanos = System.nanoTime();
    private volatile boolean retired;

    SessionChannel(String sessionId, int retainedCapacity, EventIdReservations reservations) {
        this.sessionId = sessionId;
        this.retainedCapacity = retainedCapacity;
        this.reservations = reservations;
        this.lastId = reservations.reserve(sessionId, EventIdReservations.BLOCK);
        this.reservedUpTo = lastId + EventIdReservations.BLOCK;
    }

    /** Numbers the event, retains it and hands it to every subscriber; null when the channel was retired. */
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
        if (retained.size() == retainedCapacity) {
            retained.removeFirst();
        }
        retained.addLast(sequenced);
        for (Subscriber subscriber : List.copyOf(subscribers)) {
            subscriber.deliver(sequenced);
        }
        return sequenced;
    }

    /**
     * Attaches a subscriber. With a last id, every retained event after it is delivered first; when that id is
     * older than what is retained (or unknown to this server), a {@code replay_truncated} notice says so before
     * the replay, instead of silently skipping. Re-attaching an attached subscriber with {@code restart} drops
     * what it has queued and not sent, which the replay covers. False when the channel was retired.
     */
    synchronized boolean attach(Subscriber subscriber, OptionalLong lastSeenId, boolean restart) {
        if (retired) {
            return false;
        }
        lastActivityNanos = System.nanoTime();
        if (restart) {
            subscriber.discardQueued();
        }
        if (lastSeenId.isPresent() && lastSeenId.getAsLong() == EventLog.BEFORE_FIRST) {
            retained.forEach(subscriber::replay);
        } else if (lastSeenId.isPresent()) {
            long after = lastSeenId.getAsLong();
            long oldest = retained.isEmpty() ? lastId + 1 : retained.getFirst().id();
            if (after < oldest - 1 || after > lastId) {
                subscriber.replay(ReplayNotices.truncated(sessionId, after, oldest, lastId));
            }
            for (SequencedEvent event : retained) {
                if (event.id() > after || after > lastId) {
                    subscriber.replay(event);
                }
            }
        }
        subscribers.add(subscriber);
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
            retained.clear();
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

    synchronized int retainedCount() {
        return retained.size();
    }

    synchronized long lastId() {
        return lastId;
    }
}
