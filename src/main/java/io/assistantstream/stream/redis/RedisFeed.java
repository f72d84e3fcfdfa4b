package io.assistantstream.stream.redis;

import io.assistantstream.stream.control.EventLogUnavailable;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * This server's one subscribing connection to Redis: the live channel of every session that has subscribers
 * here, and the signals channel. It runs on a thread of its own and only hands messages on (never blocks on
 * them), pings every {@code PING_INTERVAL} so a dead connection is found within its read timeout, and when the
 * connection is lost it says so once and reconnects with backoff. Subscribing returns only once Redis has
 * taken the subscription (a ping behind it has come back), so nothing published after that is missed.
 */
final class RedisFeed implements Runnable {

    private static final Logger LOG = Logger.getLogger(RedisFeed.class.getName());
    static final Duration PING_INTERVAL = Duration.ofSeconds(1);
    private static final Duration READ_TIMEOUT = PING_INTERVAL.multipliedBy(3);
    /** No longer than the Retry-After a subscriber refused meanwhile is given, so its retry finds the feed up. */
    private static final long MAX_BACKOFF_MILLIS = 2000;

    /** What the feed reports: each message, and the loss of the connection (every subscription with it). */
    interface Listener {
        void onMessage(String channel, String message);

        void onLost(String reason);

        void onConnected();
    }

    private final RedisStore store;
    private final Duration timeout;
    private final Listener listener;
    private final Object sending = new Object();
    private final Map<String, CountDownLatch> pendingPongs = new ConcurrentHashMap<>();
    private volatile Subscription current;
    private volatile boolean stopped;
    private volatile String lastFailure = "not connected yet";

    RedisFeed(RedisStore store, Duration timeout, Listener listener) {
        this.store = store;
        this.timeout = timeout;
        this.listener = listener;
    }

    /** Whether the feed is connected and subscribed to the signals channel. */
    boolean isUp() {
        Subscription subscription = current;
        return subscription != null && subscription.ready;
    }

    @Override
    public void run() {
        long backoffMillis = 100;
        while (!stopped) {
            Subscription subscription = new Subscription();
            try (Jedis jedis = store.feedConnection(READ_TIMEOUT)) {
                current = subscription;
                jedis.subscribe(subscription, store.signalChannel());
            } catch (RuntimeException e) {
                lastFailure = e.getMessage();
                if (!stopped) {
                    LOG.log(subscription.ready ? Level.WARNING : Level.FINE, "The live feed from Redis was lost ("
                            + e.getMessage() + "); subscribers on this server are told to resume, reconnecting", e);
                }
            } finally {
                boolean wasReady = subscription.ready;
                // Not under the sending lock: a sender stuck on the dead connection must not keep the loss unreported.
                current = null;
                subscription.ready = false;
                if (wasReady && !stopped) {
                    backoffMillis = 100;
                    listener.onLost(lastFailure);
                }
            }
            sleep(backoffMillis);
            backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
        }
    }

    /** A subscription sent to Redis, taken once the ping sent behind it comes back. */
    final class Pending {
        private final String channel;
        private final String token;
        private final CountDownLatch taken = new CountDownLatch(1);

        private Pending(String channel) {
            this.channel = channel;
            this.token = UUID.randomUUID().toString();
        }

        /** Returns once Redis has taken the subscription. */
        void await() {
            try {
                if (!taken.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new EventLogUnavailable("Redis did not confirm the subscription to " + channel + " within "
                            + timeout.toMillis() + " ms", null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EventLogUnavailable("Interrupted while subscribing to " + channel, e);
            } finally {
                pendingPongs.remove(token);
            }
        }
    }

    /**
     * Sends a subscription to Redis, with a ping behind it; {@link Pending#await()} waits for it to be taken.
     * Subscriptions and unsubscriptions reach Redis in the order of these calls.
     */
    Pending subscribe(String channel) {
        Pending pending = new Pending(channel);
        synchronized (sending) {
            Subscription subscription = requireUp();
            pendingPongs.put(pending.token, pending.taken);
            try {
                subscription.subscribe(channel);
                subscription.ping(pending.token);
            } catch (RuntimeException e) {
                pendingPongs.remove(pending.token);
                throw new EventLogUnavailable("Could not subscribe to " + channel + " on Redis: " + e.getMessage(), e);
            }
        }
        return pending;
    }

    void unsubscribe(String channel) {
        whileUp(subscription -> subscription.unsubscribe(channel),
                "Unsubscribing from " + channel + " failed; the connection is being replaced");
    }

    /** Keeps the connection's reads alive and proves it still works (called every {@link #PING_INTERVAL}). */
    void ping() {
        whileUp(Subscription::ping, "A ping on the live feed failed; its reader will notice");
    }

    void stop() {
        stopped = true;
        whileUp(Subscription::unsubscribe, "Closing the live feed failed");
    }

    /** Sends a command on the live connection if it is up; a failure is the reader's to notice, not the caller's. */
    private void whileUp(Consumer<Subscription> command, String failure) {
        synchronized (sending) {
            Subscription subscription = current;
            if (subscription != null && subscription.ready) {
                try {
                    command.accept(subscription);
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, failure, e);
                }
            }
        }
    }

    private Subscription requireUp() {
        Subscription subscription = current;
        if (subscription == null || !subscription.ready) {
            throw new EventLogUnavailable("The live feed from Redis is down (" + lastFailure + ")", null);
        }
        return subscription;
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    private final class Subscription extends JedisPubSub {
        volatile boolean ready;

        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            if (channel.equals(store.signalChannel()) && !ready) {
                ready = true;
                lastFailure = null;
                listener.onConnected();
            }
        }

        @Override
        public void onMessage(String channel, String message) {
            listener.onMessage(channel, message);
        }

        @Override
        public void onPong(String token) {
            CountDownLatch waiting = token == null ? null : pendingPongs.get(token);
            if (waiting != null) {
                waiting.countDown();
            }
        }
    }
}
