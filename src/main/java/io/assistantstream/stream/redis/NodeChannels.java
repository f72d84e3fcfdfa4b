package io.assistantstream.stream.redis;

import io.assistantstream.stream.control.EventLogUnavailable;
import io.assistantstream.stream.control.Subscriber;
import io.assistantstream.stream.entity.SequencedEvent;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;

/**
 * This server's channels, one per session its clients watch, each subscribed on the feed for as long as it lives.
 * The map changes under one lock together with the (un)subscriptions it sends, so the unsubscription of a retired
 * channel never overtakes the subscription of its successor. No Redis round trip happens under that lock.
 */
final class NodeChannels {

    private final ConcurrentMap<String, NodeChannel> channels = new ConcurrentHashMap<>();
    private final Object lifecycle = new Object();
    private final RedisStore store;
    private final RedisFeed feed;
    private final Executor executor;
    private final int capacity;

    NodeChannels(RedisStore store, RedisFeed feed, Executor executor, int capacity) {
        this.store = store;
        this.feed = feed;
        this.executor = executor;
        this.capacity = capacity;
    }

    /** @throws EventLogUnavailable when Redis cannot be read; the subscriber is not attached */
    void attach(String sessionId, Subscriber subscriber, OptionalLong lastSeenId) {
        while (true) {
            NodeChannel channel = channel(sessionId);
            try {
                if (channel.attach(subscriber, lastSeenId)) {
                    return;
                }
            } catch (EventLogUnavailable e) {
                if (channel.retireIfUnwatched()) {
                    forget(channel);
                }
                throw e;
            }
        }
    }

    void detach(String sessionId, Subscriber subscriber) {
        NodeChannel channel = channels.get(sessionId);
        if (channel != null && channel.detach(subscriber)) {
            forget(channel);
        }
    }

    /** Live events for the session's channel here, if it has one. */
    void offer(String sessionId, List<SequencedEvent> events) {
        NodeChannel channel = channels.get(sessionId);
        if (channel != null) {
            channel.offer(events);
        }
    }

    /** Tells the session's subscribers here to resume, and drops its channel. */
    void interrupt(String sessionId) {
        NodeChannel channel = channels.get(sessionId);
        if (channel != null) {
            channel.interrupt();
            forget(channel);
        }
    }

    /**
     * Drops every channel (the feed was lost, or the server stops) and tells their subscribers to resume, outside
     * the lock: closing a subscriber calls back into {@link #detach}, on a thread that may hold the subscriptions'
     * locks. Returns how many sessions were watched.
     */
    int interruptAll() {
        List<NodeChannel> lost;
        synchronized (lifecycle) {
            lost = List.copyOf(channels.values());
            channels.clear();
        }
        lost.forEach(NodeChannel::interrupt);
        return lost.size();
    }

    int size() {
        return channels.size();
    }

    /** The session's channel here, subscribed to its live events before anyone attaches to it. */
    private NodeChannel channel(String sessionId) {
        synchronized (lifecycle) {
            NodeChannel existing = channels.get(sessionId);
            if (existing != null && !existing.isRetired()) {
                return existing;
            }
            NodeChannel fresh = new NodeChannel(sessionId, store, executor, feed.subscribe(store.liveChannel(sessionId)),
                    capacity);
            channels.put(sessionId, fresh);
            return fresh;
        }
    }

    /** Drops a retired channel and its subscription, unless a successor has taken its place already. */
    private void forget(NodeChannel channel) {
        synchronized (lifecycle) {
            if (channels.remove(channel.sessionId(), channel)) {
                feed.unsubscribe(store.liveChannel(channel.sessionId()));
            }
        }
    }
}
