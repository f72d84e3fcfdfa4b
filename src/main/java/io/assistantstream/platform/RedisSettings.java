package io.assistantstream.platform;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
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
 * A server counts as alive for {@code nodeTtl} after its last sign of life (written every second), and every
 * {@code sweep} one of them closes the answers of a server that is not.
 */
public record RedisSettings(Optional<URI> url, Duration timeout, String keyPrefix, int poolSize, Duration nodeTtl,
                            Duration sweep) {

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

    /** {@code redis://[:password@]host[:port][/database]}; the password is masked in the log of settings. */
    private static Optional<URI> url(SettingsReader in) {
        Optional<String> raw = in.text("redis.url", false);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(raw.get());
            if (("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) && uri.getHost() != null) {
                if (uri.getUserInfo() != null) {
                    in.effective.put("redis.url", uri.getScheme() + "://(credentials)@" + uri.getHost()
                            + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + (uri.getPath() == null ? "" : uri.getPath()));
                }
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        in.effective.put("redis.url", "(invalid)");
        in.problems.add("redis.url: must be a redis:// or rediss:// address with a host, e.g. redis://redis:6379");
        return Optional.empty();
    }
}
