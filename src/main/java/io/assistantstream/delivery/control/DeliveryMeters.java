package io.assistantstream.delivery.control;

import io.assistantstream.delivery.entity.Transport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the subscribers of this server report: events written, clients cut off for falling behind, resumes
 * served and those that began with {@code replay_truncated}, and (sampled once a second) how deep their queues
 * are.
 */
public class DeliveryMeters {

    /** For a subscriber not registered yet (and in unit tests): it counts into a registry nobody reads. */
    static final DeliveryMeters NONE = new DeliveryMeters(new SimpleMeterRegistry());

    private final Map<Transport, Counter> delivered = new EnumMap<>(Transport.class);
    private final Map<Transport, Counter> cutOffSlow = new EnumMap<>(Transport.class);
    private final Counter replays;
    private final Counter truncatedReplays;
    private final DistributionSummary queueDepth;

    DeliveryMeters(MeterRegistry registry) {
        for (Transport transport : Transport.values()) {
            delivered.put(transport, Counter.builder("assistant_stream_events_delivered")
                    .description("Events written to subscribers").tag("transport", transport.wireName())
                    .register(registry));
            cutOffSlow.put(transport, Counter.builder("assistant_stream_subscribers_cut_off")
                    .description("Subscribers disconnected as too slow (stalled for stream.stall-seconds, or past the retained history)")
                    .tag("reason", "slow").tag("transport", transport.wireName()).register(registry));
        }
        replays = Counter.builder("assistant_stream_replays")
                .description("Subscriptions that resumed after a last event id").register(registry);
        truncatedReplays = Counter.builder("assistant_stream_replays_truncated")
                .description("Resumes older than the retained history (they began with replay_truncated)")
                .register(registry);
        queueDepth = DistributionSummary.builder("assistant_stream_subscriber_queue_depth")
                .description("Events of its session's window a subscriber has yet to read, sampled once a second").baseUnit("events")
                .publishPercentileHistogram().register(registry);
    }

    void delivered(Transport transport) {
        delivered.get(transport).increment();
    }

    void cutOffSlow(Transport transport) {
        cutOffSlow.get(transport).increment();
    }

    void replayed() {
        replays.increment();
    }

    void replayTruncated() {
        truncatedReplays.increment();
    }

    void queueDepth(int events) {
        queueDepth.record(events);
    }
}
