package io.assistantstream.stream.redis;

import io.assistantstream.stream.control.EventLog;
import io.assistantstream.stream.control.EventLogUnavailable;
import io.assistantstream.stream.control.ReplayNotices;
import io.assistantstream.stream.control.Subscriber;
import io.assistantstream.stream.entity.SequencedEvent;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One session's subscribers on this server, fed from the session's Redis stream. Live events arrive from the
 * feed in id order; {@code delivered} is the last id handed to the subscribers, so an event at or below it (one a
 * replay already covered) is dropped, and an event beyond the next id first has the gap filled from the stream.
 * Attaching and handing on share one lock, so a subscriber gets its replay up to {@code delivered} and every
 * later event live, with no gap and no duplicate at the seam. The feed's thread only queues; the events are
 * handed on by a task on the executor, so a session waiting on Redis never holds up the feed for the others.
 */
final class NodeChannel {

    private static final Logger LOG = Logger.getLogger(NodeChannel.class.getName());
    private static final long UNKNOWN = Long.MIN_VALUE;

    private final String sessionId;
    private final RedisStore store;
    private final Executor executor;
    private final RedisFeed.Pending subscription;
    private final Set<Subscriber> subscribers = new LinkedHashSet<>();
    private final ConcurrentLinkedQueue<SequencedEvent> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private long delivered = UNKNOWN;
    private boolean retired;

    NodeChannel(String sessionId, RedisStore store, Executor executor, RedisFeed.Pending subscription) {
        this.sessionId = sessionId;
        this.store = store;
        this.executor = executor;
        this.subscription = subscription;
    }

    String sessionId() {
        return sessionId;
    }

    /**
     * Attaches a subscriber, replaying what it missed from the stream; false when the channel was retired.
     *
     * @throws EventLogUnavailable when Redis cannot be read; the subscriber is not attached
     */
    synchronized boolean attach(Subscriber subscriber, OptionalLong lastSeenId, boolean restart) {
        if (retired) {
            return false;
        }
        // Only once Redis has taken the subscription is every event after the replay below sure to come live.
        subscription.await();
        long after = lastSeenId.orElse(Long.MAX_VALUE);
        RedisStore.Replay replay = store.replay(sessionId, after);
        if (delivered == UNKNOWN) {
            delivered = replay.lastId();
        }
        if (restart) {
            subscriber.discardQueued();
        }
        if (lastSeenId.isPresent()) {
            List<SequencedEvent> events = replay.events();
            boolean truncated = after != EventLog.BEFORE_FIRST && (after > replay.lastId() || after < replay.floor()
                    || events.isEmpty() && after < replay.lastId());
            if (truncated) {
                long oldest = events.isEmpty() ? replay.lastId() + 1 : events.get(0).id();
                subscriber.replay(ReplayNotices.truncated(sessionId, after, oldest, replay.lastId()));
            }
            for (SequencedEvent event : events) {
                if (event.id() <= delivered) {
                    subscriber.replay(event);
                }
            }
        }
        subscribers.add(subscriber);
        return true;
    }

    /** Detaches a subscriber; true when it was the last one and the channel is now retired. */
    synchronized boolean detach(Subscriber subscriber) {
        subscribers.remove(subscriber);
        return retireIfUnwatched();
    }

    /** Retires the channel if nobody here watches it; true when it is retired. */
    synchronized boolean retireIfUnwatched() {
        if (subscribers.isEmpty()) {
            retired = true;
        }
        return retired;
    }

    /** A live event from the feed (called on the feed's thread: queues and returns). */
    void offer(SequencedEvent event) {
        inbox.add(event);
        if (draining.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    /**
     * Tells every subscriber to resume elsewhere or later, and takes no more: the feed of this channel broke. The
     * subscribers are told outside this channel's lock: a subscriber that closes comes back through the
     * subscriptions and the log's lifecycle lock, whose holder may be waiting for this channel.
     */
    void interrupt() {
        List<Subscriber> told;
        synchronized (this) {
            retired = true;
            told = List.copyOf(subscribers);
            subscribers.clear();
        }
        told.forEach(Subscriber::interrupted);
    }

    synchronized boolean isRetired() {
        return retired;
    }

    private void drain() {
        try {
            synchronized (this) {
                SequencedEvent event;
                while ((event = inbox.poll()) != null) {
                    hand(event);
                }
            }
        } finally {
            draining.set(false);
        }
        if (!inbox.isEmpty() && draining.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void hand(SequencedEvent event) {
        if (retired || delivered == UNKNOWN || event.id() <= delivered) {
            return;
        }
        if (event.id() > delivered + 1) {
            try {
                for (SequencedEvent missed : store.between(sessionId, delivered, event.id())) {
                    send(missed);
                }
            } catch (EventLogUnavailable e) {
                LOG.log(Level.WARNING, "Session " + sessionId + ": the events between " + delivered + " and "
                        + event.id() + " could not be read from Redis; its subscribers here are told to resume", e);
                interrupt();
                return;
            }
        }
        send(event);
    }

    private void send(SequencedEvent event) {
        for (Subscriber subscriber : List.copyOf(subscribers)) {
            subscriber.deliver(event);
        }
        delivered = event.id();
    }
}
