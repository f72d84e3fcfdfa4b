package io.assistantstream.platform;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisSentinelPool;
import redis.clients.jedis.util.Pool;

/**
 * Where the shared event log lives when several servers serve one session ({@code redis.*}); with no
 * {@code redis.url} the server keeps its event log in memory and runs alone. Quotas are shared through it too.
 * A server counts as alive for {@code nodeTtl} after its last sign of life (written every second), and every
 * {@code sweep} one of them closes the answers of a server that is not.
 */
public record RedisSettings(Optional<RedisAddress> url, Duration timeout, String keyPrefix, int poolSize, Duration nodeTtl,
                            Duration sweep) {

    public boolean enabled() {
        return url.isPresent();
    }

    /** The one Redis server of a {@code redis://} address (with Sentinel, ask the pool for the primary now). */
    public HostAndPort address() {
        return url.orElseThrow().hosts().get(0);
    }

    /** How to connect: credentials and database from the URL, TLS for rediss://, every call bounded by the timeout. */
    public JedisClientConfig clientConfig() {
        RedisAddress redis = url.orElseThrow();
        int timeoutMillis = (int) timeout.toMillis();
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMillis)
                .socketTimeoutMillis(timeoutMillis)
                .ssl(redis.tls())
                .clientName("assistant-stream")
                // RESP2, as every script and reply here is read: said outright, Jedis stops warning per connection.
                .autoNegotiateProtocol(false);
        String userInfo = redis.userInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? null : userInfo.substring(0, colon);
            config.password(colon < 0 ? userInfo : userInfo.substring(colon + 1));
            if (user != null && !user.isEmpty()) {
                config.user(user);
            }
        }
        config.database(redis.database());
        return config.build();
    }

    /**
     * A pool of {@code redis.pool-size} connections, a borrower waiting at most the timeout: to the one server, or
     * (Sentinel) to whichever server the sentinels name primary now, following it when a failover moves it.
     */
    public Pool<Jedis> pool() {
        GenericObjectPoolConfig<Jedis> poolConfig = new GenericObjectPoolConfig<>();
        poolConfig.setMaxTotal(poolSize);
        poolConfig.setMaxIdle(poolSize);
        poolConfig.setMaxWait(timeout);
        poolConfig.setTestOnBorrow(false);
        poolConfig.setJmxEnabled(false);
        RedisAddress redis = url.orElseThrow();
        if (redis.sentinel()) {
            int timeoutMillis = (int) timeout.toMillis();
            return new JedisSentinelPool(redis.primaryName(), Set.copyOf(redis.hosts()), poolConfig, clientConfig(),
                    DefaultJedisClientConfig.builder().connectionTimeoutMillis(timeoutMillis)
                            .socketTimeoutMillis(timeoutMillis).clientName("assistant-stream-sentinel").build());
        }
        return new JedisPool(poolConfig, address(), clientConfig());
    }

    static RedisSettings read(SettingsReader in) {
        String keyPrefix = in.text("redis.key-prefix", false).orElse("assistant-stream");
        in.effective.put("redis.key-prefix", keyPrefix);
        return SettingsReader.bind(RedisSettings.class, Map.of(
                "url", url(in),
                "timeout", in.millis("redis.timeout-millis", 2000, 50, 60_000),
                "keyPrefix", keyPrefix,
                "poolSize", in.integer("redis.pool-size", 32, 1, 1024),
                "nodeTtl", in.seconds("redis.node-ttl-seconds", 5, 2, 300),
                "sweep", in.seconds("redis.sweep-seconds", 10, 1, 3600)));
    }

    /** A {@link RedisAddress}; the credentials are masked in the log of settings. */
    private static Optional<RedisAddress> url(SettingsReader in) {
        Optional<String> raw = in.text("redis.url", false);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            RedisAddress address = RedisAddress.parse(raw.get());
            in.effective.put("redis.url", address.describe());
            return Optional.of(address);
        } catch (IllegalArgumentException e) {
            in.effective.put("redis.url", "(invalid)");
            in.problems.add("redis.url: " + e.getMessage() + "; e.g. redis://redis:6379 or "
                    + "redis-sentinel://sentinel-1:26379,sentinel-2:26379/mymaster");
            return Optional.empty();
        }
    }
}
