package io.assistantstream.platform;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every tunable of the relay in one place, read through MicroProfile Config, so a system property
 * ({@code -Dapollo.url=...}) or an environment variable ({@code APOLLO_URL}) sets it. Defaults are the
 * documented ones in the README.
 */
@ApplicationScoped
public class RelaySettings {

    private static final Logger LOG = Logger.getLogger(RelaySettings.class.getName());

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

    /**
     * Every setting is checked once, when the application starts (the first bean that needs one creates this):
     * an impossible value fails the deployment with a line naming the key, the value and what is accepted,
     * rather than failing later on a user's request.
     */
    @PostConstruct
    void check() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            problems.forEach(problem -> LOG.severe("Invalid setting " + problem));
            throw new IllegalStateException("Invalid settings, the application does not start: "
                    + String.join("; ", problems));
        }
    }

    List<String> problems() {
        List<String> problems = new ArrayList<>();
        apolloUrl().filter(url -> !isHttpUrl(url)).ifPresent(url -> problems.add(
                "apollo.url=" + url + ": must be an http:// or https:// address with a host, e.g. http://apollo:3000"));
        within(problems, "apollo.connect-timeout-seconds", connectTimeoutSeconds, 1, 300);
        within(problems, "apollo.idle-timeout-seconds", idleTimeoutSeconds, 1, 3600);
        within(problems, "apollo.max-event-bytes", maxEventBytes, 1024, 64L << 20);
        within(problems, "apollo.max-response-bytes", maxResponseBytes, Math.max(1024, maxEventBytes), 1L << 32);
        within(problems, "apollo.max-duration-seconds", maxDurationSeconds, 1, 86_400);
        within(problems, "stream.replay-buffer-events", replayBufferEvents, 1, 1_000_000);
        within(problems, "stream.replay-retention-seconds", replayRetentionSeconds, 1, 604_800);
        within(problems, "stream.replay-max-events-total", replayMaxEventsTotal, Math.max(1, replayBufferEvents),
                100_000_000);
        within(problems, "stream.subscriber-queue-events", subscriberQueueEvents, 1, 1_000_000);
        within(problems, "stream.max-subscribers", maxSubscribers, 1, 1_000_000);
        within(problems, "stream.max-subscribers-per-session", maxSubscribersPerSession, 1, Math.max(1, maxSubscribers));
        within(problems, "stream.sender-threads", senderThreads, 1, 1024);
        within(problems, "stream.heartbeat-seconds", heartbeatSeconds, 1, 3600);
        within(problems, "stream.websocket-attach-grace-millis", websocketAttachGraceMillis, 0, 60_000);
        within(problems, "api.max-body-bytes", maxBodyBytes, 1024, 16L << 20);
        within(problems, "api.max-message-chars", maxMessageChars, 1, Math.max(1, maxBodyBytes));
        within(problems, "changes.max-bytes", maxChangeBytes, 1024, 64L << 20);
        return problems;
    }

    private static void within(List<String> problems, String key, long value, long min, long max) {
        if (value < min || value > max) {
            problems.add(key + "=" + value + ": must be from " + min + " to " + max);
        }
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

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
