package io.assistantstream.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every tunable of the relay in one place, read through MicroProfile Config, so a system property
 * ({@code -Dapollo.url=...}) or an environment variable ({@code APOLLO_URL}) sets it. Defaults are the
 * documented ones in the README.
 */
@ApplicationScoped
public class RelaySettings {

    @Inject
    @ConfigProperty(name = "apollo.url")
    Optional<String> apolloUrl;

    @Inject
    @ConfigProperty(name = "apollo.api-key")
    Optional<String> apolloApiKey;

    @Inject
    @ConfigProperty(name = "apollo.connect-timeout-seconds", defaultValue = "10")
    long connectTimeoutSeconds;

    @Inject
    @ConfigProperty(name = "apollo.idle-timeout-seconds", defaultValue = "120")
    long idleTimeoutSeconds;

    @Inject
    @ConfigProperty(name = "apollo.max-event-bytes", defaultValue = "1048576")
    int maxEventBytes;

    @Inject
    @ConfigProperty(name = "apollo.max-response-bytes", defaultValue = "8388608")
    long maxResponseBytes;

    @Inject
    @ConfigProperty(name = "apollo.max-duration-seconds", defaultValue = "600")
    long maxDurationSeconds;

    @Inject
    @ConfigProperty(name = "stream.replay-buffer-events", defaultValue = "5000")
    int replayBufferEvents;

    @Inject
    @ConfigProperty(name = "stream.replay-retention-seconds", defaultValue = "600")
    long replayRetentionSeconds;

    @Inject
    @ConfigProperty(name = "stream.replay-max-events-total", defaultValue = "100000")
    long replayMaxEventsTotal;

    @Inject
    @ConfigProperty(name = "stream.subscriber-queue-events", defaultValue = "1000")
    int subscriberQueueEvents;

    @Inject
    @ConfigProperty(name = "stream.max-subscribers-per-session", defaultValue = "100")
    int maxSubscribersPerSession;

    @Inject
    @ConfigProperty(name = "stream.max-subscribers", defaultValue = "10000")
    int maxSubscribers;

    @Inject
    @ConfigProperty(name = "stream.sender-threads", defaultValue = "64")
    int senderThreads;

    @Inject
    @ConfigProperty(name = "stream.heartbeat-seconds", defaultValue = "15")
    long heartbeatSeconds;

    @Inject
    @ConfigProperty(name = "stream.websocket-attach-grace-millis", defaultValue = "1000")
    long websocketAttachGraceMillis;

    @Inject
    @ConfigProperty(name = "api.max-body-bytes", defaultValue = "65536")
    int maxBodyBytes;

    @Inject
    @ConfigProperty(name = "api.max-message-chars", defaultValue = "16000")
    int maxMessageChars;

    @Inject
    @ConfigProperty(name = "changes.max-bytes", defaultValue = "262144")
    int maxChangeBytes;

    @Inject
    @ConfigProperty(name = "demo.upstream.enabled", defaultValue = "false")
    boolean demoUpstreamEnabled;

    @Inject
    @ConfigProperty(name = "demo.public-url")
    Optional<String> demoPublicUrl;

    /** The configured AI service, without a trailing slash; empty when none is set. */
    public Optional<String> apolloUrl() {
        return apolloUrl.map(String::strip).filter(url -> !url.isEmpty()).map(RelaySettings::withoutTrailingSlash);
    }

    public Optional<String> apolloApiKey() {
        return apolloApiKey.map(String::strip).filter(key -> !key.isEmpty());
    }

    public Duration connectTimeout() {
        return Duration.ofSeconds(connectTimeoutSeconds);
    }

    public Duration idleTimeout() {
        return Duration.ofSeconds(idleTimeoutSeconds);
    }

    public int maxEventBytes() {
        return maxEventBytes;
    }

    /** The most bytes one answer may send before it is cut off as upstream_too_large. */
    public long maxResponseBytes() {
        return maxResponseBytes;
    }

    /** The longest one answer may stream before it is cut off as upstream_duration_exceeded. */
    public Duration maxDuration() {
        return Duration.ofSeconds(maxDurationSeconds);
    }

    /** Threads that write to clients; each client stalled at the TCP level holds one until it is cut off. */
    public int senderThreads() {
        return senderThreads;
    }

    public int maxSubscribersPerSession() {
        return maxSubscribersPerSession;
    }

    public int maxSubscribers() {
        return maxSubscribers;
    }

    /** The longest question, in characters. */
    public int maxMessageChars() {
        return maxMessageChars;
    }

    public int replayBufferEvents() {
        return replayBufferEvents;
    }

    /** How long an unwatched session's events stay retained after its last event or subscriber. */
    public Duration replayRetention() {
        return Duration.ofSeconds(replayRetentionSeconds);
    }

    /** The most events retained for replay across all sessions of this server. */
    public long replayMaxEventsTotal() {
        return replayMaxEventsTotal;
    }

    public int subscriberQueueEvents() {
        return subscriberQueueEvents;
    }

    public Duration heartbeatInterval() {
        return Duration.ofSeconds(heartbeatSeconds);
    }

    public Duration websocketAttachGrace() {
        return Duration.ofMillis(websocketAttachGraceMillis);
    }

    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** The largest workflow document or job code a change may carry. */
    public int maxChangeBytes() {
        return maxChangeBytes;
    }

    public boolean demoUpstreamEnabled() {
        return demoUpstreamEnabled;
    }

    public Optional<String> demoPublicUrl() {
        return demoPublicUrl.map(RelaySettings::withoutTrailingSlash);
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
