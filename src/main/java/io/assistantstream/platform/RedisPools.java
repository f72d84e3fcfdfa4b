package io.assistantstream.platform;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisSentinelPool;
import redis.clients.jedis.util.Pool;

/**
 * The one pool of command connections to Redis this server keeps ({@code redis.pool-size}), shared by the event
 * log and the quotas, made on first use and closed with the application.
 */
@ApplicationScoped
public class RedisPools {

    @Inject
    RedisSettings settings;

    private Pool<Jedis> commands;

    /** For the container. */
    public RedisPools() {
    }

    /** Outside a container (tests): the pool of these settings. */
    public RedisPools(RedisSettings settings) {
        this.settings = settings;
    }

    public synchronized Pool<Jedis> commands() {
        if (commands == null) {
            commands = settings.pool();
        }
        return commands;
    }

    /** The server commands go to now: with Sentinel, the primary the sentinels last named. */
    public HostAndPort primary() {
        return commands() instanceof JedisSentinelPool sentinel ? sentinel.getCurrentHostMaster() : settings.address();
    }

    @PreDestroy
    public synchronized void close() {
        if (commands != null) {
            commands.close();
            commands = null;
        }
    }
}
