package io.assistantstream.platform;

import java.time.Duration;

/**
 * What one caller may spend ({@code quota.*}): sessions created and questions asked per window, answers streaming
 * at once, and subscribers connected at once (per server, see the README).
 */
public record QuotaSettings(int sessions, Duration sessionsWindow, int questions, Duration questionsWindow,
                            int streamingAnswers, int subscribers) {
}
