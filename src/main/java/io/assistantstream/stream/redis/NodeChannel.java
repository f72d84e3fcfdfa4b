package io.assistantstream.stream.redis;

import io.assistantstream.stream.control.EventLogUnavailable;
import io.assistantstream.stream.control.EventWindow;
import io.assistantstream.stream.control.ReadFrom;
import io.assistantstream.stream.control.Subscriber;
import io.assistantstream.stream.entity.SequencedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One session's subscribers on this server and its window of the session's Redis stream, from which each of
 * them reads at its own position. Live events arrive from the feed in id order and are appended; an event beyond
 * the next id first has the gap filled from the stream. A subscriber resuming from before the window has the
 * window filled back from the stream first. No lock is held across a Redis round trip: the reads happen outside
 * it and only their merge into the window takes it, so a resume never pauses live delivery for the others. The
 * feed's thread only queues; appending runs on the executor, one task at a time.
 */
final class NodeChannel {

    private static final Logger LOG = Logger.getLogger(NodeChannel.class.getName());

    private final String sessionId;
    private final RedisStore store;
    private final Executor executor;
    private final RedisFeed.Pending subscription;
    private final int capacity;
    /** Woken from a snapshot: a subscriber that closes (and leaves) while woken never disturbs the others' turn. */
    private final Set<Subscriber> subscribers = new CopyOnWriteArraySet<>();
    private final ConcurrentLinkedQueue<SequencedEvent> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    /** Null until the first attach has read where the stream stands; live events wait in the inbox till then. */
    private EventWindow window;
    private boolean retired;

    NodeChannel(String sessionId, RedisStore store, Executor executor, RedisFeed.Pending subscription, int capacity) {
        this.sessionId = sessionId;
        this.store = store;
        this.executor = executor;
        this.subscription = subscription;
        this.capacity = capacity;
    }

    String sessionId() {
        return sessionId;
    }

    /**
     * Attaches a subscriber (or moves an attached one) to read after its last id; false when the channel was
     * retired. The stream is read when the window cannot answer alone: the first attach, an id before the window,
     * or one after everything this server has seen.
     *
     * @throws EventLogUnavailable when Redis cannot be read; the subscriber is not attached
     */
    boolean attach(Subscriber subscriber, OptionalLong lastSeenId) {
        // Only once Redis has taken the subscription is every event after what is read below sure to come live.
        subscription.await();
        long after = lastSeenId.orElse(Long.MAX_VALUE);
        RedisStore.Replay replay = null;
        if (needsStream(lastSeenId.isPresent(), after)) {
            replay = store.replay(sessionId, after);
        }
        synchronized (this) {
            if (retired) {
                return false;
            }
            if (replay != null) {
                merge(replay, after);
            }
            long known = replay == null ? window.lastId() : Math.max(window.lastId(), replay.lastId());
            subscribers.add(subscriber);
            subscriber.attached(ReadFrom.resolve(sessionId, window, lastSeenId, known));
            subscriber.wake();
        }
        scheduleDrain();
        return true;
    }

    private synchronized boolean needsStream(boolean resuming, long after) {
        return window == null || resuming && (after < window.floor() || after > window.lastId());
    }

    /** What the stream holds after {@code after} goes into the window: it starts it, or fills it back. */
    private void merge(RedisStore.Replay replay, long after) {
        long complete = Math.min(replay.lastId(), Math.max(after, replay.floor()));
        if (window == null) {
            window = new EventWindow(capacity, replay.lastId());
        }
        if (replay.lastId() >= window.floor()) {
            window.prepend(replay.events(), complete);
        }
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

    /** Live events from the feed (called on the feed's thread: queues and returns). */
    void offer(List<SequencedEvent> events) {
        inbox.addAll(events);
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (!inbox.isEmpty() && draining.compareAndSet(false, true)) {
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
            while (!inbox.isEmpty()) {
                long last;
                synchronized (this) {
                    if (retired || window == null) {
                        return;
                    }
                    last = window.lastId();
                }
                List<SequencedEvent> arrived = new ArrayList<>();
                SequencedEvent event;
                while ((event = inbox.poll()) != null) {
                    arrived.add(event);
                }
                if (!append(last, arrived)) {
                    return;
                }
            }
        } finally {
            draining.set(false);
        }
        scheduleDrain();
    }

    /**
     * Appends what arrived after {@code last} and wakes the subscribers once, with any events the feed skipped
     * read from the stream first.
     */
    private boolean append(long last, List<SequencedEvent> arrived) {
        List<SequencedEvent> events = new ArrayList<>(arrived.size());
        long expected = last;
        for (SequencedEvent event : arrived) {
            if (event.id() <= expected) {
                continue;
            }
            if (event.id() > expected + 1) {
                try {
                    events.addAll(store.between(sessionId, expected, event.id()));
                } catch (EventLogUnavailable e) {
                    LOG.log(Level.WARNING, "Session " + sessionId + ": the events between " + expected + " and "
                            + event.id() + " could not be read from Redis; its subscribers here are told to resume", e);
                    interrupt();
                    return false;
                }
            }
            events.add(event);
            expected = event.id();
        }
        synchronized (this) {
            for (SequencedEvent next : events) {
                if (next.id() > window.lastId()) {
                    window.append(next);
                }
            }
            for (Subscriber subscriber : subscribers) {
                subscriber.wake();
            }
        }
        return true;
    }
}
