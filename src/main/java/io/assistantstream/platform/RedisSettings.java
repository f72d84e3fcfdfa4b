package io.assistantstream.platform;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the shared event log lives when several servers serve one session ({@code redis.*}); with no
 * {@code redis.url} the server keeps its event log in memory and runs alone.
 */
public record RedisSettings(Optional<URI> url, Duration timeout, String keyPrefix, int poolSize) {

    public boolean enabled() {
        return url.isPresent();
    }
}
