package io.assistantstream.stream.control;

import io.assistantstream.stream.entity.ClientEvent;
import io.assistantstream.stream.entity.SequencedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The chosen event log, counting what this server publishes and timing each publish (on Redis, the round trip
 * of the publish script), whichever log is behind it.
 */
final class MeteredEventLog implements EventLog {

    private final EventLog log;
    private final Counter published;
    private final Timer publishing;

    /** {@code kind}: the log's kind ({@code memory}, {@code redis}), a label of both meters. */
    MeteredEventLog(EventLog log, String kind, MeterRegistry registry) {
        this.log = log;
        this.published = Counter.builder("assistant_stream_events_published")
                .description("Events this server published to its sessions' logs").tag("log", kind).register(registry);
        this.publishing = Timer.builder("assistant_stream_event_publish")
                .description("How long a publish held its caller (on Redis: until the event was queued, or numbered when "
                        + "the caller needed its id)").tag("log", kind)
                .publishPercentileHistogram().register(registry);
    }

    @Override
    public SequencedEvent publish(ClientEvent event) {
        return timed(() -> log.publish(event));
    }

    @Override
    public void append(ClientEvent event) {
        timed(() -> {
            log.append(event);
            return null;
        });
    }

    private <T> T timed(Supplier<T> publishing) {
        long started = System.nanoTime();
        try {
            return publishing.get();
        } finally {
            this.publishing.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            published.increment();
        }
    }

    @Override
    public void attach(String sessionId, Subscriber subscriber, OptionalLong lastSeenId) {
        log.attach(sessionId, subscriber, lastSeenId);
    }

    @Override
    public void detach(String sessionId, Subscriber subscriber) {
        log.detach(sessionId, subscriber);
    }

    @Override
    public long position(String sessionId) {
        return log.position(sessionId);
    }

    @Override
    public long lastId(String sessionId) {
        return log.lastId(sessionId);
    }

    @Override
    public Optional<List<SequencedEvent>> retainedAfter(String sessionId, long afterId) {
        return log.retainedAfter(sessionId, afterId);
    }

    @Override
    public Health health() {
        return log.health();
    }
}
