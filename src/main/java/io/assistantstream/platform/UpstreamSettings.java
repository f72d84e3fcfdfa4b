package io.assistantstream.platform;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The AI service and the bounds on one answer from it ({@code apollo.*}). */
public record UpstreamSettings(Optional<String> apolloUrl, Optional<String> apolloApiKey, Duration connectTimeout,
                               Duration idleTimeout, int maxEventBytes, long maxResponseBytes, Duration maxDuration) {

    static UpstreamSettings read(SettingsReader in) {
        int maxEventBytes = in.integer("apollo.max-event-bytes", 1 << 20, 1024, 64 << 20);
        return SettingsReader.bind(UpstreamSettings.class, Map.of(
                "apolloUrl", in.httpUrl("apollo.url", "http://apollo:3000"),
                "apolloApiKey", in.text("apollo.api-key", true),
                "connectTimeout", in.seconds("apollo.connect-timeout-seconds", 10, 1, 300),
                "idleTimeout", in.seconds("apollo.idle-timeout-seconds", 120, 1, 3600),
                "maxEventBytes", maxEventBytes,
                "maxResponseBytes", in.number("apollo.max-response-bytes", 8 << 20, Math.max(1024, maxEventBytes), 1L << 32),
                "maxDuration", in.seconds("apollo.max-duration-seconds", 600, 1, 86_400)));
    }
}
