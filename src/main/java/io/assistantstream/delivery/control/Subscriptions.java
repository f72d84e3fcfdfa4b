package io.assistantstream.delivery.control;

import io.assistantstream.platform.RelaySettings;
import io.assistantstream.session.control.SessionChannels;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Every connected client of this server, whatever its transport: attaches it to its session's channel, keeps it
 * alive with heartbeats while the stream is idle, and forgets it when it closes.
 */
@ApplicationScoped
public class Subscriptions {

    @Resource
    ManagedExecutorService executor;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    SessionChannels channels;

    @Inject
    RelaySettings settings;

    private final Set<QueuedSubscriber> connected = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> heartbeats;

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
    }

    /** The executor every subscriber's sender runs on. */
    public Executor senders() {
        return executor;
    }

    public int queueCapacity() {
        return settings.subscriberQueueEvents();
    }

    /** Registers the subscriber for heartbeats and its own clean-up; it receives nothing until attached. */
    public void register(QueuedSubscriber subscriber) {
        connected.add(subscriber);
        subscriber.onClose(() -> {
            connected.remove(subscriber);
            channels.detach(subscriber.sessionId(), subscriber);
        });
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
