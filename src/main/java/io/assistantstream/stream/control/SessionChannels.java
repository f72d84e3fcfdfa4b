package io.assistantstream.stream.control;

import io.assistantstream.platform.StreamSettings;
import io.assistantstream.stream.entity.ClientEvent;
import io.assistantstream.stream.entity.SequencedEvent;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Where every client event of every session is numbered and fanned out to that session's subscribers. The
 * retained events are bounded in time and in total: a channel nobody has watched or published to for
 * {@code stream.replay-retention-seconds} is retired, and while more than {@code stream.replay-max-events-total}
 * events are retained, unwatched channels are retired least recently active first. A client that resumes on a
 * retired channel gets {@code replay_truncated} and reloads the session, which the database keeps in full.
 */
@ApplicationScoped
public class SessionChannels {

    private static final Logger LOG = Logger.getLogger(SessionChannels.class.getName());
    private static final long SWEEP_SECONDS = 10;

    /** A position before the first event of the channel a session will have, as a last seen id. */
    public static final long BEFORE_FIRST = -1;

    private final StreamSettings settings;
    private final EventIdReservations reservations;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final ConcurrentMap<String, SessionChannel> channels = new ConcurrentHashMap<>();
    private ScheduledFuture<?> sweeps;

    @Inject
    public SessionChannels(StreamSettings settings, EventIdReservations reservations) {
        this.settings = settings;
        this.reservations = reservations;
    }

    /** For the container's client proxy only. */
    protected SessionChannels() {
        this(null, null);
    }

    void startSweeping(@Observes @Initialized(ApplicationScoped.class) Object start) {
        sweeps = scheduler.scheduleWithFixedDelay(
                () -> retireIdle(System.nanoTime(), settings.replayRetention(), settings.replayMaxEventsTotal()),
                SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stopSweeping() {
        if (sweeps != null) {
            sweeps.cancel(false);
        }
    }

    public SequencedEvent publish(ClientEvent event) {
        SequencedEvent published;
        do {
            published = channel(event.sessionId()).publish(event);
        } while (published == null);
        return published;
    }

    /**
     * Attaches a subscriber: live events from now on, after every retained event past {@code lastSeenId} when
     * given. With {@code restart}, an attached subscriber's unsent events are dropped first (its replay covers them).
     */
    public void attach(String sessionId, Subscriber subscriber, OptionalLong lastSeenId, boolean restart) {
        boolean attached;
        do {
            attached = channel(sessionId).attach(subscriber, lastSeenId, restart);
        } while (!attached);
    }

    /**
     * The session's position now, to attach a subscriber from later (as its last seen id) so that it gets
     * exactly what was published in between: the id of the session's latest event, or {@link #BEFORE_FIRST}
     * when it has no channel here yet (every event its next channel will hold comes later).
     */
    public long position(String sessionId) {
        SessionChannel channel = channels.get(sessionId);
        return channel == null || channel.isRetired() ? BEFORE_FIRST : channel.lastId();
    }

    public void detach(String sessionId, Subscriber subscriber) {
        SessionChannel channel = channels.get(sessionId);
        if (channel != null) {
            channel.detach(subscriber);
        }
    }

    /** The id of the session's latest event, or 0 when it has none on this server yet. */
    public long lastId(String sessionId) {
        SessionChannel channel = channels.get(sessionId);
        return channel == null ? 0 : channel.lastId();
    }

    /** Retires unwatched channels idle for longer than {@code retention}, then the oldest while over the cap. */
    void retireIdle(long nowNanos, Duration retention, long maxRetainedEvents) {
        int retiredCount = 0;
        long idleSince = nowNanos - retention.toNanos();
        for (SessionChannel channel : channels.values()) {
            if (retire(channel, idleSince)) {
                retiredCount++;
            }
        }
        long retained = channels.values().stream().mapToLong(SessionChannel::retainedCount).sum();
        if (retained > maxRetainedEvents) {
            List<SessionChannel> leastRecentFirst = channels.values().stream()
                    .sorted(Comparator.comparingLong(SessionChannel::lastActivityNanos)).toList();
            for (SessionChannel channel : leastRecentFirst) {
                if (retained <= maxRetainedEvents) {
                    break;
                }
                int count = channel.retainedCount();
                if (retire(channel, nowNanos)) {
                    retained -= count;
                    retiredCount++;
                }
            }
        }
        if (retiredCount > 0) {
            int retiredNow = retiredCount;
            long retainedNow = retained;
            LOG.fine(() -> "Retired " + retiredNow + " unwatched session channels; " + channels.size()
                    + " remain, retaining " + retainedNow + " events");
        }
    }

    private boolean retire(SessionChannel channel, long idleSinceNanos) {
        if (channel.retireIfIdleSince(idleSinceNanos)) {
            channels.remove(channel.sessionId(), channel);
            return true;
        }
        return false;
    }

    /** How many sessions have a channel on this server. */
    int size() {
        return channels.size();
    }

    private SessionChannel channel(String sessionId) {
        SessionChannel current = channels.get(sessionId);
        if (current != null && !current.isRetired()) {
            return current;
        }
        return channels.compute(sessionId, (id, existing) -> existing == null || existing.isRetired()
                ? new SessionChannel(id, settings.replayBufferEvents(), reservations) : existing);
    }
}
