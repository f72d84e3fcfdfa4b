package io.assistantstream.stream.redis;

import io.assistantstream.platform.Json;
import io.assistantstream.platform.RedisPools;
import io.assistantstream.platform.RedisSettings;
import io.assistantstream.platform.StreamSettings;
import io.assistantstream.stream.control.EventIdReservations;
import io.assistantstream.stream.control.EventLog;
import io.assistantstream.stream.control.EventLogUnavailable;
import io.assistantstream.stream.control.Nodes;
import io.assistantstream.stream.control.SessionSignals;
import io.assistantstream.stream.control.Subscriber;
import io.assistantstream.stream.entity.ClientEvent;
import io.assistantstream.stream.entity.SequencedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The event log shared by every server of a cluster, on Redis (chosen by {@code redis.url}). A session's events
 * queue in its outbox ({@link Outboxes}), whose batches one script numbers, appends to the session's stream
 * (trimmed to {@code stream.replay-buffer-events}, kept for {@code stream.replay-retention-seconds}) and
 * publishes; each server subscribes to the sessions its own clients watch and keeps a window of each
 * ({@link NodeChannels}), which its clients read from their own positions; a resume reads from that window, or
 * fills it back from the stream, on whichever server the client lands.
 *
 * <p>When Redis goes away, answers go on and are stored: an event that cannot be published is not delivered,
 * the session's subscribers here are told to resume (and refused until Redis is back), and the session is marked
 * torn; once Redis answers again a sequenced {@code replay_truncated} goes into each torn session's stream, so
 * every client, live or resuming, reloads the stored session instead of waiting for events that were lost.
 */
@ApplicationScoped
@Typed(RedisEventLog.class)
public class RedisEventLog implements EventLog, SessionSignals, Nodes {

    private static final Logger LOG = Logger.getLogger(RedisEventLog.class.getName());
    /** Events of one session waiting for Redis before its answer waits too: four full batches. */
    private static final int MAX_QUEUED_PER_SESSION = 1024;
    /** How long a stopping server gives Redis to take the events still queued. */
    private static final Duration FLUSH_AT_STOP = Duration.ofSeconds(5);

    @Inject
    RedisSettings redis;

    @Inject
    RedisPools pools;

    @Inject
    StreamSettings stream;

    @Inject
    EventIdReservations reservations;

    @Inject
    MeterRegistry registry;

    // Typed as plain executors (the container's defaults, by their standard names) so a test can run the log too.
    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ThreadFactory threads;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ScheduledExecutorService scheduler;

    private final Set<String> torn = ConcurrentHashMap.newKeySet();
    private final String self = UUID.randomUUID().toString();
    private LiveMessages messages;
    private RedisStore store;
    private RedisFeed feed;
    private NodeChannels channels;
    private Outboxes outboxes;
    private Thread feedThread;
    private ExecutorService drains;
    private ScheduledFuture<?> upkeep;

    @PostConstruct
    void start() {
        store = new RedisStore(redis, pools.commands(), pools::primary);
        messages = new LiveMessages(store.signalChannel(), Counter.builder("assistant_stream_redis_feed_lost")
                .description("Times this server's live feed from Redis was lost, each followed by reconnects")
                .register(registry));
        feed = new RedisFeed(store, redis.timeout(), messages);
        // A plain pool of container threads, as for the upstream's body: a managed executor has Payara capture the
        // application's context for every task (a class-loader scan), and a drain runs per live event of a session
        // (28 % of a Redis server's CPU in the benchmark's cluster rows, where it held delivery to a sixth of the
        // in-memory rate).
        drains = Executors.newCachedThreadPool(threads);
        channels = new NodeChannels(store, feed, drains, stream.replayBufferEvents());
        outboxes = new Outboxes(store, reservations, drains, stream.replayBufferEvents(), stream.replayRetention(),
                MAX_QUEUED_PER_SESSION, this::lost);
        messages.routeTo(channels);
        feedThread = threads.newThread(feed);
        feedThread.setName("assistant-stream-redis-feed");
        feedThread.start();
        upkeep = scheduler.scheduleWithFixedDelay(this::upkeep, RedisFeed.PING_INTERVAL.toMillis(),
                RedisFeed.PING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        try {
            store.ping();
            LOG.info("The event log is on Redis at " + redis.url().orElseThrow().describe() + " (prefix "
                    + redis.keyPrefix() + "); sessions can be watched and resumed on every server that shares it");
        } catch (EventLogUnavailable e) {
            LOG.warning("Redis is not reachable at start-up (" + e.getMessage() + "); subscriptions are refused "
                    + "with 503 until it is, answers are still stored; check redis.url and that Redis runs");
        }
    }

    @PreDestroy
    void stop() {
        if (upkeep != null) {
            upkeep.cancel(false);
        }
        try {
            if (!outboxes.awaitEmpty(FLUSH_AT_STOP)) {
                LOG.warning("Stopping with events not yet published to Redis after " + FLUSH_AT_STOP.toSeconds()
                        + " s; their sessions' clients reload the stored session");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        feed.stop();
        feedThread.interrupt();
        channels.interruptAll();
        drains.shutdownNow();
    }

    @Override
    public SequencedEvent publish(ClientEvent event) {
        String json = Json.write(event);
        return new SequencedEvent(outboxes.add(event.sessionId(), event.name(), json, true).id().join(), event.name(),
                json);
    }

    @Override
    public void append(ClientEvent event) {
        outboxes.add(event.sessionId(), event.name(), Json.write(event), false);
    }

    /** A batch of the session's events Redis did not take (on the thread that sent it). */
    private void lost(String sessionId, EventLogUnavailable e) {
        if (torn.add(sessionId)) {
            LOG.log(Level.WARNING, "Session " + sessionId + ": events could not be published to Redis ("
                    + e.getMessage() + "); the answer goes on and is stored, its subscribers here are told to "
                    + "resume, and its history is marked when Redis is back", e);
        }
        channels.interrupt(sessionId);
    }

    @Override
    public void attach(String sessionId, Subscriber subscriber, OptionalLong lastSeenId) {
        channels.attach(sessionId, subscriber, lastSeenId);
    }

    @Override
    public void detach(String sessionId, Subscriber subscriber) {
        channels.detach(sessionId, subscriber);
    }

    @Override
    public long position(String sessionId) {
        return store.lastId(sessionId);
    }

    @Override
    public long lastId(String sessionId) {
        try {
            return Math.max(0, store.lastId(sessionId));
        } catch (EventLogUnavailable e) {
            return 0;
        }
    }

    @Override
    public Optional<List<SequencedEvent>> retainedAfter(String sessionId, long afterId) {
        try {
            RedisStore.Replay replay = store.replay(sessionId, afterId);
            return replay.floor() > afterId ? Optional.empty() : Optional.of(replay.events());
        } catch (EventLogUnavailable e) {
            return Optional.empty();
        }
    }

    @Override
    public Health health() {
        try {
            store.ping();
            return new Health("redis", feed.isUp(), feed.isUp() ? channels.size() + " sessions watched here"
                    : "Redis answers, the live feed is reconnecting");
        } catch (EventLogUnavailable e) {
            return new Health("redis", false, e.getMessage());
        }
    }

    @Override
    public void send(String sessionId, String signal) {
        store.signal(sessionId + " " + signal);
    }

    @Override
    public void onSignal(BiConsumer<String, String> handler) {
        messages.onSignal(handler);
    }

    @Override
    public String self() {
        return self;
    }

    @Override
    public boolean isAlive(String nodeId) {
        return store.isAlive(nodeId);
    }

    /**
     * Every second: a ping on the feed, this node's sign of life (kept {@code redis.node-ttl-seconds}), and a mark in the
     * history of each session torn by an outage.
     */
    private void upkeep() {
        feed.ping();
        try {
            store.markAlive(self, redis.nodeTtl());
        } catch (EventLogUnavailable e) {
            return;
        }
        outboxes.forgetIdle(stream.replayRetention());
        for (String sessionId : torn) {
            RedisStore.Unnumbered marker = Outboxes.truncationMarker(sessionId);
            long lastId = outboxes.add(sessionId, marker.name(), marker.dataJson(), true).id().join();
            if (lastId == 0) {
                return;
            }
            torn.remove(sessionId);
            LOG.info(() -> "Session " + sessionId + ": Redis is back; its history is marked at id " + lastId
                    + " so every client reloads the stored session");
        }
    }
}
