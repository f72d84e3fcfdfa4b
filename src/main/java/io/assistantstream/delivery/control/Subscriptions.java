package io.assistantstream.delivery.control;

import io.assistantstream.platform.RelaySettings;
import io.assistantstream.session.control.SessionChannels;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import io.assistantstream.platform.ProblemException;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Every connected client of this server, whatever its transport: attaches it to its session's channel, keeps it
 * alive with heartbeats while the stream is idle, and forgets it when it closes.
 */
@ApplicationScoped
public class Subscriptions {

    @Resource
    ManagedThreadFactory threadFactory;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    SessionChannels channels;

    @Inject
    RelaySettings settings;

    private static final Logger LOG = Logger.getLogger(Subscriptions.class.getName());

    private final Set<QueuedSubscriber> connected = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> perSession = new ConcurrentHashMap<>();
    private ScheduledFuture<?> heartbeats;
    private ThreadPoolExecutor senders;

    /**
     * Senders run on a pool of their own (container-managed threads): a client stalled at the TCP level blocks
     * its sender's write, and on the shared executor a few of those would starve the upstream readers and every
     * other client. Here a stalled client holds one of {@code stream.sender-threads} until it is cut off.
     */
    @PostConstruct
    void startSenders() {
        int threads = settings.senderThreads();
        senders = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threadFactory);
        senders.allowCoreThreadTimeOut(true);
    }

    void startHeartbeats(@Observes @Initialized(ApplicationScoped.class) Object start) {
        long intervalMillis = settings.heartbeatInterval().toMillis();
        long checkMillis = Math.max(250, intervalMillis / 3);
        long idleNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        heartbeats = scheduler.scheduleAtFixedRate(
                () -> connected.forEach(subscriber -> subscriber.heartbeatIfIdle(idleNanos)),
                checkMillis, checkMillis, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (heartbeats != null) {
            heartbeats.cancel(false);
        }
        connected.forEach(subscriber -> subscriber.close("server_stopping",
                "The server is shutting down; reconnect with your last event id"));
        senders.shutdown();
    }

    /** The executor every subscriber's sender runs on. */
    public Executor senders() {
        return senders;
    }

    public int queueCapacity() {
        return settings.subscriberQueueEvents();
    }

    /**
     * Registers the subscriber for heartbeats and its own clean-up; it receives nothing until attached. Refused
     * with 503 when the server has {@code stream.max-subscribers}, 429 when the session has
     * {@code stream.max-subscribers-per-session}.
     */
    public synchronized void register(QueuedSubscriber subscriber) {
        String sessionId = subscriber.sessionId();
        if (connected.size() >= settings.maxSubscribers()) {
            LOG.warning(() -> "Refused a subscriber of session " + sessionId + ": the server has "
                    + settings.maxSubscribers() + " (stream.max-subscribers)");
            throw new ProblemException(503, "Service Unavailable",
                    "The server has as many subscribers as it takes; try again later");
        }
        AtomicInteger ofSession = perSession.computeIfAbsent(sessionId, id -> new AtomicInteger());
        if (ofSession.get() >= settings.maxSubscribersPerSession()) {
            LOG.warning(() -> "Refused a subscriber of session " + sessionId + ": it has "
                    + settings.maxSubscribersPerSession() + " (stream.max-subscribers-per-session)");
            throw new ProblemException(429, "Too Many Requests", "This session has "
                    + settings.maxSubscribersPerSession() + " subscribers already; close one first");
        }
        ofSession.incrementAndGet();
        connected.add(subscriber);
        subscriber.onClose(() -> forget(subscriber));
    }

    private synchronized void forget(QueuedSubscriber subscriber) {
        if (connected.remove(subscriber)) {
            perSession.computeIfPresent(subscriber.sessionId(),
                    (id, count) -> count.decrementAndGet() == 0 ? null : count);
        }
        channels.detach(subscriber.sessionId(), subscriber);
    }

    /** Starts delivering the session's events: those after {@code lastSeenId} first, when given, then live ones. */
    public void attach(QueuedSubscriber subscriber, OptionalLong lastSeenId) {
        channels.attach(subscriber.sessionId(), subscriber, lastSeenId);
    }

    /** Sends a keep-alive now, so the client sees the response begin before the first event. */
    public void greet(QueuedSubscriber subscriber) {
        subscriber.heartbeatIfIdle(0);
    }

    public long lastId(String sessionId) {
        return channels.lastId(sessionId);
    }
}
