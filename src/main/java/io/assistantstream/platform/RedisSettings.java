package io.assistantstream.platform;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;

/**
 * Where the shared event log lives when several servers serve one session ({@code redis.*}); with no
 * {@code redis.url} the server keeps its event log in memory and runs alone. Quotas are shared through it too.
 */
public record RedisSettings(Optional<URI> url, Duration timeout, String keyPrefix, int poolSize) {

    public boolean enabled() {
        return url.isPresent();
    }

    public HostAndPort address() {
        URI redis = url.orElseThrow();
        return new HostAndPort(redis.getHost(), redis.getPort() < 0 ? 6379 : redis.getPort());
    }

    /** How to connect: credentials and database from the URL, TLS for rediss://, every call bounded by the timeout. */
    public JedisClientConfig clientConfig() {
        URI redis = url.orElseThrow();
        int timeoutMillis = (int) timeout.toMillis();
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMillis)
                .socketTimeoutMillis(timeoutMillis)
                .ssl("rediss".equals(redis.getScheme()))
                .clientName("assistant-stream")
                // RESP2, as every script and reply here is read: said outright, Jedis stops warning per connection.
                .autoNegotiateProtocol(false);
        String userInfo = redis.getUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? null : userInfo.substring(0, colon);
            config.password(colon < 0 ? userInfo : userInfo.substring(colon + 1));
            if (user != null && !user.isEmpty()) {
                config.user(user);
            }
        }
        String path = redis.getPath();
        if (path != null && path.length() > 1) {
            config.database(Integer.parseInt(path.substring(1)));
        }
        return config.build();
    }

    /** A pool of {@code redis.pool-size} connections, a borrower waiting at most the timeout. */
    public JedisPool pool() {
        GenericObjectPoolConfig<Jedis> poolConfig = new GenericObjectPoolConfig<>();
        poolConfig.setMaxTotal(poolSize);
        poolConfig.setMaxIdle(poolSize);
        poolConfig.setMaxWait(timeout);
        poolConfig.setTestOnBorrow(false);
        poolConfig.setJmxEnabled(false);
        return new JedisPool(poolConfig, address(), clientConfig());
    }
}
