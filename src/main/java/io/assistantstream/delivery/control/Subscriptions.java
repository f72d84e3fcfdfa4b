package io.assistantstream.delivery.control;

import io.assistantstream.caller.control.CallerQuotas;
import io.assistantstream.delivery.entity.Transport;
import io.assistantstream.platform.Lifecycle;
import io.assistantstream.platform.StreamSettings;
import io.assistantstream.stream.control.EventLog;
import io.assistantstream.stream.control.EventLogUnavailable;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.assistantstream.platform.ProblemException;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Every connected client of this server, whatever its transport: attaches it to its session's channel, keeps it
 * alive with heartbeats while the stream is idle, probes for clients that left, and forgets it when it closes.
 */
@ApplicationScoped
public class Subscriptions {

    @Resource
    ManagedThreadFactory threadFactory;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    EventLog eventLog;

    @Inject
    StreamSettings settings;

    @Inject
    Lifecycle lifecycle;

    @Inject
    CallerQuotas quotas;

    @Inject
    MeterRegistry meterRegistry;

    private DeliveryMeters meters;

    private static final Logger LOG = Logger.getLogger(Subscriptions.class.getName());

    /**
     * How long a write may stay the last one before a probe checks that its client still reads, and so about
     * how long a client that closed its connection keeps its slot once a write has gone to it.
     */
    private static final long PROBE_AFTER_MILLIS = 500;
    /** What a client refused while the event log is unreachable is told to wait before it retries. */
    static final int EVENT_LOG_RETRY_SECONDS = 2;

    private SubscriberRegistry registry;
    private ScheduledFuture<?> keepAlive;
    private ThreadPoolExecutor senders;

    /**
     * Senders run on a pool of their own (container-managed threads), apart from the upstream readers. No write
     * waits for a client (both transports hand the container events only while it takes them), so a stalled
     * client holds no sender and the pool needs threads only for the work of writing.
     */
    @PostConstruct
    void startSenders() {
        registry = new SubscriberRegistry(settings.maxSubscribers(), settings.maxSubscribersPerSession(),
                quotas::allowsAnotherSubscriber);
        meters = new DeliveryMeters(meterRegistry);
        for (Transport transport : Transport.values()) {
            Gauge.builder("assistant_stream_subscribers", () -> registry.count(transport))
                    .description("Subscribers connected to this server").tag("transport", transport.wireName())
                    .register(meterRegistry);
        }
        Gauge.builder("assistant_stream_sessions_live", registry::sessions)
                .description("Sessions with subscribers on this server").register(meterRegistry);
        int threads = settings.senderThreads();
        senders = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threadFactory);
        senders.allowCoreThreadTimeOut(true);
    }

    /**
     * Heartbeats, probes and the stall rule: a heartbeat comes early enough that a client gone while the stream was idle is
     * noticed within one heartbeat interval ({@code stream.heartbeat-seconds}).
     */
    void startKeepAlive(@Observes @Initialized(ApplicationScoped.class) Object start) {
        long intervalMillis = settings.heartbeatInterval().toMillis();
        long probeAfterMillis = Math.min(PROBE_AFTER_MILLIS, intervalMillis / 4);
        long tickMillis = Math.max(50, probeAfterMillis / 2);
        // A heartbeat after (interval - probe - two ticks) of silence, and the probe that follows it, put the
        // failing write within one interval of a close, however the ticks fall.
        long heartbeatAfterNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis - probeAfterMillis - 2 * tickMillis);
        long probeAfterNanos = TimeUnit.MILLISECONDS.toNanos(probeAfterMillis);
        long sampleEveryTicks = Math.max(1, 1000 / tickMillis);
        long stallNanos = settings.stallTimeout().toNanos();
        AtomicLong ticks = new AtomicLong();
        keepAlive = scheduler.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            boolean sample = ticks.incrementAndGet() % sampleEveryTicks == 0;
            registry.forEach(subscriber -> {
                subscriber.cutOffIfStalled(stallNanos, now);
                subscriber.keepAlive(now, heartbeatAfterNanos, probeAfterNanos);
                if (sample) {
                    meters.queueDepth(subscriber.eventsBehind());
                }
            });
        }, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (keepAlive != null) {
            keepAlive.cancel(false);
        }
        closeAll("The server is shutting down; reconnect with your last event id");
        senders.shutdown();
    }

    /** Tells every subscriber here that this server stops ({@code server_stopping}, {@code reason}) and lets it go. */
    public void closeAll(String reason) {
        registry.forEach(subscriber -> subscriber.close(LogSubscriber.SERVER_STOPPING, reason));
    }

    /** An SSE subscriber, held until its stream {@linkplain SseSubscriber#start() starts}. */
    public SseSubscriber sseSubscriber(String sessionId, HttpServletRequest request, HttpServletResponse response) {
        return new SseSubscriber(sessionId, senders, request, response, scheduler);
    }

    /** A WebSocket's subscriber, with at most {@code stream.bytes-in-flight} of frames unfinished at once. */
    public WebSocketSubscriber webSocketSubscriber(String sessionId, jakarta.websocket.Session socket) {
        return new WebSocketSubscriber(sessionId, senders, socket, settings.bytesInFlight(), scheduler);
    }

    /**
     * Registers the subscriber of a session owned by {@code owner} for heartbeats and its own clean-up; it
     * receives nothing until attached. Refused with 503 when the server has {@code stream.max-subscribers}, 429
     * when the session has {@code stream.max-subscribers-per-session} or its owner {@code quota.subscribers} on
     * this server: counting only clients that are still there, since before refusing, the subscribers that would
     * count are probed and those whose clients have gone are dropped.
     */
    public void register(LogSubscriber subscriber, String owner) {
        if (lifecycle.draining()) {
            throw ProblemException.unavailable("This server is stopping; connect again with your last event id, "
                    + "another server serves you", Lifecycle.RETRY_AFTER_SECONDS);
        }
        subscriber.measuredBy(meters);
        // Before it is counted: a probe from another registration may find it gone before this one returns.
        subscriber.onClose(() -> forget(subscriber));
        SubscriberRegistry.Full full = registry.tryAdd(subscriber, owner);
        if (full != null) {
            GoneClients.makeRoomAmong(full.holders());
            full = registry.tryAdd(subscriber, owner);
            if (full != null) {
                refuse(subscriber.sessionId(), full);
            }
        }
    }

    private void refuse(String sessionId, SubscriberRegistry.Full full) {
        if (full.bound() == SubscriberRegistry.Bound.SERVER) {
            LOG.warning(() -> "Refused a subscriber of session " + sessionId + ": the server has "
                    + settings.maxSubscribers() + " (stream.max-subscribers); raise it or add servers");
            throw new ProblemException(503, "Service Unavailable",
                    "The server has as many subscribers as it takes; try again later");
        }
        if (full.bound() == SubscriberRegistry.Bound.SESSION) {
            LOG.warning(() -> "Refused a subscriber of session " + sessionId + ": it has "
                    + settings.maxSubscribersPerSession() + " (stream.max-subscribers-per-session)");
            throw new ProblemException(429, "Too Many Requests", "This session has "
                    + settings.maxSubscribersPerSession() + " subscribers already; close one first");
        }
        ProblemException spent = quotas.subscribersSpent();
        LOG.info(() -> "Refused a subscriber of session " + sessionId + ": " + spent.getMessage());
        throw spent;
    }

    private void forget(LogSubscriber subscriber) {
        registry.remove(subscriber);
        eventLog.detach(subscriber.sessionId(), subscriber);
    }

    /**
     * Starts (or moves) the subscriber's reading of its session: after {@code lastSeenId} when given, else from
     * now. Refused with 503 and {@code Retry-After} when the event log cannot serve the session now (Redis is down):
     * the subscriber is forgotten before anything was written to it, so its transport still answers as it
     * chooses (an SSE request with the 503, a WebSocket with close 1013), and its client retries from its last id.
     */
    public void attach(LogSubscriber subscriber, OptionalLong lastSeenId) {
        if (lastSeenId.isPresent()) {
            meters.replayed();
        }
        try {
            eventLog.attach(subscriber.sessionId(), subscriber, lastSeenId);
        } catch (EventLogUnavailable e) {
            LOG.warning(() -> "Refused a " + subscriber.transport().label() + " subscriber of session "
                    + subscriber.sessionId() + ": " + e.getMessage() + "; it can retry shortly");
            forget(subscriber);
            throw eventLogUnavailable();
        }
    }

    private static ProblemException eventLogUnavailable() {
        return ProblemException.unavailable("The session's events are unavailable for a moment (the shared event "
                + "log is unreachable); retry shortly with your last event id", EVENT_LOG_RETRY_SECONDS);
    }

    /** The session's position now, to attach a subscriber from later with nothing missed in between. */
    public long position(String sessionId) {
        try {
            return eventLog.position(sessionId);
        } catch (EventLogUnavailable e) {
            throw eventLogUnavailable();
        }
    }

    /** How many clients are connected, by transport. */
    public Map<Transport, Long> countsByTransport() {
        return registry.countsByTransport();
    }

}
