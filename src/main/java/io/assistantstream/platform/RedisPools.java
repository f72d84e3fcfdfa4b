package io.assistantstream.platform;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import redis.clients.jedis.JedisPool;

/**
 * The one pool of command connections to Redis this server keeps ({@code redis.pool-size}), shared by the event
 * log and the quotas, made on first use and closed with the application.
 */
@ApplicationScoped
public class RedisPools {

    @Inject
    RedisSettings settings;

    private JedisPool commands;

    /** For the container. */
    public RedisPools() {
    }

    /** Outside a container (tests): the pool of these settings. */
    public RedisPools(RedisSettings settings) {
        this.settings = settings;
    }

    public synchronized JedisPool commands() {
        if (commands == null) {
            commands = settings.pool();
        }
        return commands;
    }

    @PreDestroy
    public synchronized void close() {
        if (commands != null) {
            commands.close();
            commands = null;
        }
    }
}
