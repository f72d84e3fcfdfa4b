package io.assistantstream.stream.control;

import io.assistantstream.platform.RedisSettings;
import io.assistantstream.stream.redis.RedisEventLog;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * The seam between the event log and its users: the Redis log when {@code redis.url} is set (many servers),
 * the in-memory one otherwise (one server). Only the chosen implementation is ever created.
 */
@ApplicationScoped
public class EventLogs {

    @Inject
    RedisSettings redis;

    @Inject
    Instance<MemoryEventLog> memory;

    @Inject
    Instance<RedisEventLog> shared;

    @Inject
    MeterRegistry registry;

    @Produces
    EventLog eventLog() {
        return redis.enabled() ? new MeteredEventLog(shared.get(), "redis", registry)
                : new MeteredEventLog(memory.get(), "memory", registry);
    }

    @Produces
    SessionSignals signals() {
        return redis.enabled() ? shared.get() : memory.get();
    }

    @Produces
    Nodes nodes() {
        return redis.enabled() ? shared.get() : memory.get();
    }
}
