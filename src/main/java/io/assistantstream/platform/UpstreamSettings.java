package io.assistantstream.platform;

import java.time.Duration;
import java.util.Optional;

/** The AI service and the bounds on one answer from it ({@code apollo.*}). */
public record UpstreamSettings(Optional<String> apolloUrl, Optional<String> apolloApiKey, Duration connectTimeout,
                               Duration idleTimeout, int maxEventBytes, long maxResponseBytes, Duration maxDuration) {
}
