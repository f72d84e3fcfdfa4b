package io.assistantstream.stream.control;

import io.assistantstream.platform.StreamSettings;
import io.assistantstream.stream.entity.ClientEvent;
import io.assistantstream.stream.entity.SequencedEvent;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * The event log of one server: every client event of every session numbered, kept and fanned out in memory. The
 * retained events are bounded in time and in total: a channel nobody has watched or published to for
 * {@code stream.replay-retention-seconds} is retired, and while more than {@code stream.replay-max-events-total}
 * events are retained, unwatched channels are retired least recently active first. A client that resumes on a
 * retired channel gets {@code replay_truncated} and reloads the session, which the database keeps in full.
 */
@ApplicationScoped
@Typed(MemoryEventLog.class)
public class MemoryEventLog implements EventLog, SessionSignals, Nodes {

    private static final Logger LOG = Logger.getLogger(MemoryEventLog.class.getName());
    private static final long SWEEP_SECONDS = 10;

    private final StreamSettings settings;
    private final EventIdReservations reservations;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final ConcurrentMap<String, SessionChannel> channels = new ConcurrentHashMap<>();
    private ScheduledFuture<?> sweeps;
    private final String self = UUID.randomUUID().toString();
    private volatile BiConsumer<String, String> signalHandler = (session, signal) -> {
    };

    @Inject
    public MemoryEventLog(StreamSettings settings, EventIdReservations reservations) {
        this.settings = settings;
        this.reservations = reservations;
    }

    /** For the container's client proxy only. */
    protected MemoryEventLog() {
        this(null, null);
    }

    /** On first use, not at start-up: with Redis configured this log is never created. */
    @PostConstruct
    void startSweeping() {
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

    @Override
    public SequencedEvent publish(ClientEvent event) {
        SequencedEvent published;
        do {
            published = channel(event.sessionId()).publish(event);
        } while (published == null);
        return published;
    }

    @Override
    public void attach(String sessionId, Subscriber subscriber, OptionalLong lastSeenId) {
        boolean attached;
        do {
            attached = channel(sessionId).attach(subscriber, lastSeenId);
        } while (!attached);
    }

    /** {@link #BEFORE_FIRST} when the session has no channel here yet: every event its next channel holds comes later. */
    @Override
    public long position(String sessionId) {
        SessionChannel channel = channels.get(sessionId);
        return channel == null || channel.isRetired() ? BEFORE_FIRST : channel.lastId();
    }

    @Override
    public void detach(String sessionId, Subscriber subscriber) {
        SessionChannel channel = channels.get(sessionId);
        if (channel != null) {
            channel.detach(subscriber);
        }
    }

    @Override
    public long lastId(String sessionId) {
        SessionChannel channel = channels.get(sessionId);
        return channel == null ? 0 : channel.lastId();
    }

    /**
     * In memory the events live no longer than this server: the answers it abandons are closed by its next run,
     * which holds none of them.
     */
    @Override
    public Optional<List<SequencedEvent>> retainedAfter(String sessionId, long afterId) {
        return Optional.empty();
    }

    /** One server: the signal is for this one. */
    @Override
    public void send(String sessionId, String signal) {
        signalHandler.accept(sessionId, signal);
    }

    @Override
    public void onSignal(BiConsumer<String, String> handler) {
        this.signalHandler = handler;
    }

    @Override
    public String self() {
        return self;
    }

    /** One server: every other node is an earlier run of this one. */
    @Override
    public boolean isAlive(String nodeId) {
        return self.equals(nodeId);
    }

    @Override
    public Health health() {
        return new Health("memory", true, channels.size() + " session channels on this server");
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
